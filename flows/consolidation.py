"""Consolidation on demand: the curator starts it from the UI's run form whenever she needs it."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from notifications.documents.consolidation import FORMATS, write_consolidated
from roadmap.periods import parse_period
from roadmap.report import build_report
from roadmap.wording import period_ru
from storage.db import session_scope
from storage.reporting import report_facts
from storage.status import status_as_of


def _run_name() -> str:
    params = flow_run.parameters
    period = params.get("period") or "2025..2026"
    return f"Сводный отчёт за {period_ru(parse_period(period))} на {runtime.run_day(params.get('as_of')):%d.%m.%Y}"  # noqa: E501


@flow(name="Сводный отчёт по запросу", flow_run_name=_run_name)
def consolidation_flow(
    as_of: str | None = None, period: str | None = None, formats: list[str] | None = None
) -> dict[str, Any]:
    """Сводный отчёт по запросу: дата (ГГГГ-ММ-ДД, по умолчанию сегодня), период (2025-H1, 2025, 2025-03..2025-08; по умолчанию весь срок программы), форматы (docx, xlsx, png)."""  # noqa: E501
    program, cal = runtime.program(), runtime.calendar()
    chosen = tuple(formats or FORMATS)
    if set(chosen) - set(FORMATS):
        raise ValueError(f"форматы: допустимо {', '.join(FORMATS)}")
    day = runtime.run_day(as_of)
    p = parse_period(period) if period else program.span_period
    with session_scope(runtime.engine()) as s:
        facts = report_facts(session=s, program_id=program.id)
        status = status_as_of(session=s, program_id=program.id, as_of=day, calendar=cal)
    report = build_report(program, facts, as_of=day, period=p, calendar=cal,
                          margin=runtime.settings().explanation_margin)  # fmt: skip
    paths = write_consolidated(
        report,
        program,
        runtime.settings().resolved_reports_dir / "on-demand" / day.isoformat(),
        chosen,
    )
    publish.report_links("report", paths)
    names = {o.id: o.short_name for o in program.organizations}
    publish.markdown("status", f"Сводный отчёт за {report.period_text} на {report.as_of_text}",
                     publish.status_markdown(status, names)
                     + ("\n\n## Чего не хватает\n\n" + "\n".join(f"- {m}" for m in report.missing) if report.missing else ""))  # noqa: E501  # fmt: skip
    publish.progress(
        "share-done", "Доля выполненных обязательств со сроком до даты", publish.share_done(status)
    )
    return {"files": [str(x) for x in paths], "missing": report.missing}
