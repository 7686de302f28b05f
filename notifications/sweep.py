"""The daily sweep: mark what became overdue, plan every due ladder step, send what may go out.

Flows, the command line and the simulation all call ``run_sweep``; it is the whole engine
for one day, without Prefect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import Transports
from notifications.planning import LinkFor, PlanReport, plan_ladder
from notifications.sending import DEFAULT_MAX_ATTEMPTS, DeliveryReport, deliver
from roadmap.program import Program
from roadmap.workdays import WorkCalendar
from storage.db import session_scope
from storage.obligations import mark_overdue


@dataclass
class SweepReport:
    as_of: dt.date
    marked_overdue: int
    plan: PlanReport
    delivery: DeliveryReport | None


def run_sweep(
    *,
    engine: Engine,
    program: Program,
    as_of: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    transports: Transports | None,
    link_for: LinkFor | None = None,
    obligation_ids: list[str] | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    quiet_hours: bool = True,
) -> SweepReport:
    """One day of the engine for ``program`` (``transports`` None: plan only, send nothing)."""
    with session_scope(engine) as s:
        overdue = mark_overdue(session=s, program_id=program.id, as_of=as_of, at=now)
    with session_scope(engine) as s:
        plan = plan_ladder(
            session=s, program=program, as_of=as_of, now=now, calendar=calendar,
            link_for=link_for, obligation_ids=obligation_ids,
        )  # fmt: skip
    delivery = None
    if transports is not None:
        delivery = deliver(
            engine=engine, now=now, transports=transports, zone=ZoneInfo(program.timezone),
            calendar=calendar, program_title=program.title, max_attempts=max_attempts,
            quiet_hours=quiet_hours,
        )  # fmt: skip
    return SweepReport(as_of, overdue, plan, delivery)
