"""Consolidation on demand: the curator starts it from the UI's run form whenever she needs it."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from roadmap.wording import period_ru
from services import reports
from services.status import status_on


def _run_name() -> str:
    p = flow_run.parameters
    rt = runtime.rt()
    period = reports.period_of(rt, p.get("period")) or rt.program.span_period
    return f"Сводный отчёт за {period_ru(period)} на {runtime.run_day(p.get('as_of')):%d.%m.%Y}"


@flow(name="Сводный отчёт по запросу", flow_run_name=_run_name)
def consolidation_flow(
    as_of: str | None = None,
    period: str | None = None,
    formats: list[str] | None = None,
    program: str | None = None,
) -> dict[str, Any]:
    """Сводный отчёт по запросу.

    Дата — ГГГГ-ММ-ДД, по умолчанию сегодня; период — 2025-H1, 2025 или 2025-03..2025-08,
    по умолчанию весь срок программы; форматы — docx, xlsx, png.
    """
    rt = runtime.rt(program)
    day = runtime.run_day(as_of)
    files = reports.consolidated_report(
        rt,
        as_of=day,
        period=reports.period_of(rt, period),
        out_dir=rt.reports_dir / "on-demand" / day.isoformat(),
        formats=formats or reports.FORMATS,
    )
    publish.report_links("report", files.paths)
    report = files.report
    status = status_on(rt, day)
    names = {o.id: o.short_name for o in rt.program.organizations}
    missing = "".join(f"\n- {m}" for m in report.missing)
    publish.markdown(
        "status",
        f"Сводный отчёт за {report.period_text} на {report.as_of_text}",
        publish.status_markdown(status, names)
        + (f"\n\n## Чего не хватает\n{missing}" if missing else ""),
    )
    publish.progress(
        "share-done", "Доля выполненных обязательств со сроком до даты", publish.share_done(status)
    )
    return {"files": [str(x) for x in files.paths], "missing": report.missing}
