"""Half-yearly and annual reporting, as a use case.

For a report period the executors' report obligations' ladder is brought up to date; once
every executor's report is in, or their deadline has passed, the consolidated report is
written from what was collected, with what is missing said at its top.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from roadmap.dates.periods import Period, half_year, year
from roadmap.obligations.states import FULFILLED
from roadmap.reports.report import Report
from services import reports
from services.runtime import Runtime
from services.sweep import sweep_day
from storage.db import session_scope
from storage.obligations import report_obligations


def default_period(day: dt.date) -> str:
    """The period whose reports are open on ``day``: the first half-year in July–December,
    the previous year in January–June (annual reports are due in February and March)."""
    return half_year(day.year, 1).label if day.month >= 7 else year(day.year - 1).label


@dataclass(frozen=True)
class ReportingOutcome:
    period: Period
    deadline: dt.date
    waiting: list[str]
    report: Report | None = None
    paths: list[Path] = field(default_factory=list)


def reporting_day(
    rt: Runtime, *, period: Period, as_of: dt.date, now: dt.datetime
) -> ReportingOutcome:
    """Chase the executors' reports for ``period``; write the consolidated one when it is time."""
    label = period.label
    with session_scope(rt.engine) as s:
        rows = report_obligations(session=s, program_id=rt.program.id, period=label)
    if not rows:
        raise ValueError(f"за период {label} отчётов не предусмотрено")
    sweep_day(rt, as_of=as_of, now=now, obligation_ids=[r.id for r in rows])
    with session_scope(rt.engine) as s:
        rows = report_obligations(session=s, program_id=rt.program.id, period=label)
    executors = [r for r in rows if r.report_kind == "executor"]
    waiting = [r.lead for r in executors if r.state not in FULFILLED]
    deadline = max(r.due for r in executors)
    if waiting and as_of <= deadline:
        return ReportingOutcome(period, deadline, waiting)
    files = reports.consolidated_report(
        rt, as_of=as_of, period=period, out_dir=rt.reports_dir / label
    )
    return ReportingOutcome(period, deadline, waiting, files.report, files.paths)
