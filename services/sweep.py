"""The daily sweep: mark what became overdue, plan every due ladder step, send what may go out.

Flows, the command line and the simulation all call ``sweep_day`` with their runtime;
``run_sweep`` is the same day from plain values (benchmarks and fault tests drive it so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import Transports
from notifications.planning import LinkFor, PlanReport, plan_ladder
from notifications.sending import DEFAULT_MAX_ATTEMPTS, DeliveryReport, deliver
from roadmap.dates.workdays import WorkCalendar
from roadmap.program.model import Program
from services.runtime import Runtime
from storage.db import session_scope
from storage.obligations import mark_overdue
from storage.outbox import outbox_recipients


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
            session=s,
            program=program,
            as_of=as_of,
            now=now,
            calendar=calendar,
            link_for=link_for,
            obligation_ids=obligation_ids,
        )
    delivery = None
    if transports is not None:
        delivery = deliver(
            engine=engine,
            now=now,
            transports=transports,
            zone=ZoneInfo(program.timezone),
            calendar=calendar,
            program_title=program.title,
            max_attempts=max_attempts,
            quiet_hours=quiet_hours,
            program_id=program.id,
            sender=program.sender,
        )
    return SweepReport(as_of, overdue, plan, delivery)


def sweep_day(
    rt: Runtime,
    *,
    as_of: dt.date,
    now: dt.datetime | None = None,
    obligation_ids: list[str] | None = None,
    send: bool = True,
) -> SweepReport:
    """Run the day's sweep for the runtime's program, with its delivery and links.

    ``send`` False records the day's messages in the outbox without sending them.
    """
    moment = now or rt.morning(as_of)
    return run_sweep(
        engine=rt.engine,
        program=rt.program,
        as_of=as_of,
        now=moment,
        calendar=rt.calendar,
        transports=rt.transports if send else None,
        link_for=rt.links(moment),
        obligation_ids=obligation_ids,
        max_attempts=rt.settings.max_delivery_attempts,
        quiet_hours=rt.settings.quiet_hours,
    )


def send_waiting(rt: Runtime, now: dt.datetime) -> DeliveryReport:
    """Send the program's outbox items that may go out at ``now`` (in its working hours),
    as the program's letters: what every use case that records a message calls."""
    return deliver(
        engine=rt.engine,
        now=now,
        transports=rt.transports,
        zone=rt.zone,
        calendar=rt.calendar,
        program_title=rt.program.title,
        max_attempts=rt.settings.max_delivery_attempts,
        quiet_hours=rt.settings.quiet_hours,
        program_id=rt.program.id,
        sender=rt.program.sender,
    )


def sent_to(rt: Runtime, report: SweepReport) -> list[tuple[str, str]]:
    """Whom the sweep's sent messages reached: (name, organisation), one per message."""
    if report.delivery is None:
        return []
    with session_scope(rt.engine) as s:
        return outbox_recipients(session=s, ids=report.delivery.sent)
