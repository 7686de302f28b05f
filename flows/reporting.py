"""Half-yearly and annual reporting: executors' reports, then the consolidated report.

For a report period (``2025-H1``, ``2025``) the flow brings the report obligations' ladder
up to date (the opening notices go out when the period closes, reminders before the 20th
working day or 10 February); once every executor's report is in, or their deadline has
passed, it writes the consolidated report for the Commissioner's Office (due 1 August and
1 March) from what was collected, with what is missing said at its top.
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.runtime import flow_run

from flows import publish, runtime
from notifications.documents.consolidation import write_consolidated
from notifications.sweep import run_sweep
from roadmap.periods import half_year, parse_period, year
from roadmap.report import build_report
from roadmap.states import FULFILLED
from roadmap.wording import date_ru, period_ru
from storage.db import session_scope
from storage.obligations import report_obligations
from storage.reporting import report_facts


def default_period(day: Any) -> str:
    """The period whose reports are open on ``day``: the first half-year in July–December,
    the previous year in January–June (annual reports are due in February and March)."""
    return half_year(day.year, 1).label if day.month >= 7 else year(day.year - 1).label


def _run_name() -> str:
    params = flow_run.parameters
    period = params.get("period") or default_period(runtime.run_day(params.get("as_of")))
    return f"Отчётность за {period_ru(parse_period(period))} — {runtime.run_day(params.get('as_of')):%d.%m.%Y}"  # noqa: E501


@flow(name="Полугодовая и годовая отчётность", flow_run_name=_run_name)
def reporting_flow(period: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    """Отчётность: отчёты исполнителей за период и сводный отчёт в Аппарат Уполномоченного."""
    program, cal = runtime.program(), runtime.calendar()
    day, now = runtime.run_day(as_of), runtime.run_moment(as_of)
    label = parse_period(period or default_period(day)).label
    with session_scope(runtime.engine()) as s:
        rows = report_obligations(session=s, program_id=program.id, period=label)
    if not rows:
        raise ValueError(f"за период {label} отчётов не предусмотрено")
    run_sweep(engine=runtime.engine(), program=program, as_of=day, now=now, calendar=cal,
              transports=runtime.transports(), link_for=runtime.link_for(now),
              obligation_ids=[r.id for r in rows],
              max_attempts=runtime.settings().max_delivery_attempts,
              quiet_hours=runtime.settings().quiet_hours)  # fmt: skip
    with session_scope(runtime.engine()) as s:
        rows = report_obligations(session=s, program_id=program.id, period=label)
    executors = [r for r in rows if r.report_kind == "executor"]
    waiting = [r for r in executors if r.state not in FULFILLED]
    deadline = max(r.due for r in executors)
    names = {o.id: o.short_name for o in program.organizations}
    if waiting and day <= deadline:
        publish.markdown(
            "reporting", f"Отчёты за {period_ru(parse_period(label))}: ждём",
            f"Срок отчётов исполнителей — {date_ru(deadline)}. Ещё не представили: "
            + ", ".join(names.get(r.lead, r.lead) for r in waiting) + ".",
        )  # fmt: skip
        return {"period": label, "consolidated": False, "waiting": [r.lead for r in waiting]}
    with session_scope(runtime.engine()) as s:
        facts = report_facts(session=s, program_id=program.id)
    report = build_report(program, facts, as_of=day, period=parse_period(label), calendar=cal,
                          margin=runtime.settings().explanation_margin)  # fmt: skip
    paths = write_consolidated(report, program, runtime.settings().resolved_reports_dir / label)
    publish.report_links("consolidated", paths)
    publish.markdown(
        "reporting", f"Сводный отчёт за {period_ru(parse_period(label))} подготовлен",
        ("Чего не хватает:\n\n" + "\n".join(f"- {m}" for m in report.missing)) if report.missing
        else "Все отчёты и значения получены.",
    )  # fmt: skip
    return {"period": label, "consolidated": True, "files": [str(p) for p in paths],
            "missing": report.missing}  # fmt: skip
