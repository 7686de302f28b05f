"""Half-yearly and annual reporting: executors' reports, then the consolidated report.

For a report period («I полугодие 2025 года», «2025 год») the flow brings the report
obligations' ladder up to date and, once every executor's report is in or their deadline has
passed, writes the consolidated report (``services.reporting``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from flows.forms import Day, run_date, titled
from roadmap.dates.periods import Period, parse_period
from roadmap.program.choices import BY_RUN_DATE, read_choice, report_periods
from roadmap.program.preview import period_words
from roadmap.words.wording import date_ru, sentence
from services.reporting import default_period, reporting_day


def _period(text: str | None, as_of: dt.date | str | None) -> Period:
    chosen = read_choice(
        text, report_periods(runtime.rt(flow_run.parameters.get("program")).program)
    )
    return chosen or parse_period(default_period(runtime.run_day(as_of)))


def _run_name() -> str:
    p = flow_run.parameters
    period = _period(p.get("period"), p.get("as_of"))
    day = runtime.run_day(p.get("as_of"))
    return runtime.run_name(f"Отчётность за {period_words(period)} — {day:%d.%m.%Y}")


@flow(name="Полугодовая и годовая отчётность", flow_run_name=_run_name)
def reporting_flow(
    period: str = titled(
        BY_RUN_DATE,
        "Отчётный период",
        "По дате запуска: в июле–декабре — I полугодие, в январе–июне — прошлый год",
    ),
    as_of: Day = run_date("На какую дату проверить отчёты исполнителей"),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Отчётность: отчёты исполнителей за период и сводный отчёт в Аппарат Уполномоченного."""
    rt = runtime.rt(program)
    p = _period(period, as_of)
    key = f"reporting-{publish.key_part(p.label)}"
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    outcome = reporting_day(rt, period=p, as_of=day, now=now)
    names = {o.id: o.short_name for o in rt.program.organizations}
    words = period_words(p)
    if outcome.report is None:
        waiting = ", ".join(names.get(o, o) for o in outcome.waiting)
        text = sentence(f"Срок отчётов исполнителей — {date_ru(outcome.deadline)}")
        text += " Ещё не представили: "
        publish.markdown(f"{key}-status", f"Отчёты за {words}: ждём", text + waiting + ".")
        publish.log([f"Отчёты за {words}: ждём до {date_ru(outcome.deadline)} от: {waiting}."])
        return {"period": p.label, "consolidated": False, "waiting": outcome.waiting}
    links = publish.report_links(key, outcome.paths)
    missing = outcome.report.missing
    publish.markdown(
        f"{key}-status",
        f"Сводный отчёт за {words} подготовлен",
        f"## Файлы\n\n{links}\n\n"
        + (
            ("Чего не хватает:\n\n" + "\n".join(f"- {m}" for m in missing))
            if missing
            else "Все отчёты и значения получены."
        ),
    )
    publish.log(
        [
            f"Сводный отчёт за {words} подготовлен: "
            + ", ".join(x.name for x in outcome.paths)
            + ".",
            *(f"Не хватает: {m}" for m in missing),
        ]
    )
    return {
        "period": p.label,
        "consolidated": True,
        "files": [str(x) for x in outcome.paths],
        "missing": missing,
    }
