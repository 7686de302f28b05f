"""Consolidation on demand: the curator starts it from the UI's run form whenever she needs it."""

from __future__ import annotations

from typing import Any, Literal

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from flows.forms import Day, run_date, titled
from roadmap.dates.periods import Period
from roadmap.program.choices import WHOLE_SPAN, read_choice, report_periods
from roadmap.program.preview import period_words
from roadmap.words.wording import date_ru
from services import reports
from services.status import status_on

Format = Literal["docx", "xlsx", "png"]


def _period(text: str | None) -> Period | None:
    program = runtime.rt(flow_run.parameters.get("program")).program
    p = read_choice(text, report_periods(program))
    return program.period_within(p.label) if p else None


def _run_name() -> str:
    p = flow_run.parameters
    period = _period(p.get("period"))
    words = period_words(period) if period else WHOLE_SPAN
    day = runtime.run_day(p.get("as_of"))
    return runtime.run_name(f"Сводный отчёт за {words} на {day:%d.%m.%Y}")


@flow(name="Сводный отчёт по запросу", flow_run_name=_run_name)
def consolidation_flow(
    as_of: Day = run_date("На какую дату собрать сведения"),
    period: str = titled(WHOLE_SPAN, "Период", "За какой период отчёт"),
    formats: list[Format] = titled(
        ["docx", "xlsx", "png"], "Форматы", "docx — Word, xlsx — Excel, png — диаграммы"
    ),
    program: str = titled("", "Программа", "Какая программа: задаётся развёртыванием"),
) -> dict[str, Any]:
    """Сводный отчёт по запросу: дата, период и форматы выбираются в форме запуска."""
    rt = runtime.rt(program)
    day = runtime.run_day(as_of)
    chosen = _period(period)
    files = reports.consolidated_report(
        rt,
        as_of=day,
        period=chosen,
        out_dir=rt.reports_dir / "on-demand" / day.isoformat(),
        formats=formats,
    )
    links = publish.report_links("report", files.paths)
    report = files.report
    status = status_on(rt, day)
    names = report.org_names  # as the program version in force on the day names them
    missing = "".join(f"\n- {m}" for m in report.missing)
    words = period_words(chosen) if chosen else WHOLE_SPAN
    publish.markdown(
        "report-status",
        f"Сводный отчёт за {words} на {date_ru(day)}",
        f"## Файлы\n\n{links}\n\n"
        + publish.status_markdown(status, names)
        + (f"\n\n## Чего не хватает\n{missing}" if missing else ""),
    )
    publish.progress(
        "report-share-done",
        "Доля выполненных обязательств со сроком до даты",
        publish.share_done(status),
    )
    publish.log(
        [
            f"Сводный отчёт за {words} на {day:%d.%m.%Y}: "
            + ", ".join(p.name for p in files.paths)
            + ".",
            *(f"Не хватает: {m}" for m in report.missing),
        ]
    )
    return {"files": [str(x) for x in files.paths], "missing": report.missing}
