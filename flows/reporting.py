"""Half-yearly and annual reporting: executors' reports, then the consolidated report.

For a report period (``2025-H1``, ``2025``) the flow brings the report obligations' ladder
up to date and, once every executor's report is in or their deadline has passed, writes
the consolidated report (``services.reporting``).
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from roadmap.periods import parse_period
from roadmap.wording import date_ru, period_ru
from services.reporting import default_period, reporting_day


def _label(period: str | None, as_of: str | None) -> str:
    return parse_period(period or default_period(runtime.run_day(as_of))).label


def _run_name() -> str:
    p = flow_run.parameters
    label = _label(p.get("period"), p.get("as_of"))
    day = runtime.run_day(p.get("as_of"))
    return f"Отчётность за {period_ru(parse_period(label))} — {day:%d.%m.%Y}"


@flow(name="Полугодовая и годовая отчётность", flow_run_name=_run_name)
def reporting_flow(
    period: str | None = None, as_of: str | None = None, program: str | None = None
) -> dict[str, Any]:
    """Отчётность: отчёты исполнителей за период и сводный отчёт в Аппарат Уполномоченного."""
    rt = runtime.rt(program)
    p = parse_period(_label(period, as_of))
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    outcome = reporting_day(rt, period=p, as_of=day, now=now)
    names = {o.id: o.short_name for o in rt.program.organizations}
    if outcome.report is None:
        publish.markdown(
            "reporting",
            f"Отчёты за {period_ru(p)}: ждём",
            f"Срок отчётов исполнителей — {date_ru(outcome.deadline)}. Ещё не представили: "
            + ", ".join(names.get(o, o) for o in outcome.waiting)
            + ".",
        )
        return {"period": p.label, "consolidated": False, "waiting": outcome.waiting}
    publish.report_links("consolidated", outcome.paths)
    missing = outcome.report.missing
    publish.markdown(
        "reporting",
        f"Сводный отчёт за {period_ru(p)} подготовлен",
        ("Чего не хватает:\n\n" + "\n".join(f"- {m}" for m in missing))
        if missing
        else "Все отчёты и значения получены.",
    )
    return {
        "period": p.label,
        "consolidated": True,
        "files": [str(x) for x in outcome.paths],
        "missing": missing,
    }
