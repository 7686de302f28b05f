"""Planning: the ladder's due steps become outbox messages, recorded before anything is sent.

For each owed obligation whose next ladder day has come, every step dated from that day
up to the as-of date is planned (so a day the engine did not run is caught up), each
recipient gets one message per channel, and the obligation's next ladder day moves on.
Recording is idempotent, so running the same day twice, or two workers at once, records
each message once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from notifications.messages import (
    ObligationView,
    item_context,
    message_id,
    render_item,
    thread_id,
)
from roadmap.ladder import LadderFacts, next_step_dates, steps_due
from roadmap.program import Program
from roadmap.quiet_hours import next_window
from roadmap.recipients import resolve_recipients
from roadmap.workdays import WorkCalendar
from storage.contacts import active_contacts
from storage.obligations import ladder_candidates, set_ladder_next
from storage.outbox import enqueue
from storage.tables import ObligationRecord

LinkFor = Callable[[str, str], str | None]  # (obligation id, recipient org) -> intake link


@dataclass
class PlanReport:
    """What a planning run did."""

    considered: int = 0
    recorded: int = 0
    steps: list[tuple[str, str]] = field(default_factory=list)  # (obligation id, step)
    unaddressed: list[tuple[str, str]] = field(default_factory=list)


def outbox_key(obligation_id: str, cycle: int, step: str, contact_id: int, channel: str) -> str:
    """The idempotency key: one message per obligation, ladder cycle, step, contact, channel."""
    return f"{obligation_id}|{cycle}|{step}|{contact_id}|{channel}"


def facts_of(row: ObligationRecord) -> LadderFacts:
    return LadderFacts(
        opens=row.opens, due=row.due, state=row.state, cycle=row.ladder_cycle,
        since=row.ladder_since, anchor=row.ladder_anchor,
        cancelled=row.cancelled_in_version is not None,
    )  # fmt: skip


def view_of(row: ObligationRecord) -> ObligationView:
    return ObligationView(
        id=row.id, activity=row.activity, kind=row.kind, report_kind=row.report_kind,
        period=row.period, due=row.due, owners=tuple(row.owners), evidence=row.evidence_kind,
    )  # fmt: skip


def plan_ladder(
    *,
    session: Session,
    program: Program,
    as_of: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    link_for: LinkFor | None = None,
    obligation_ids: list[str] | None = None,
) -> PlanReport:
    """Record the messages of every ladder step due by ``as_of`` (see the module docstring).

    Args:
        as_of: the program-local date the ladder is brought up to.
        now: when this happens (UTC); messages may go out from the next working-hours moment.
        link_for: makes the intake link a message carries (None: no link).
        obligation_ids: only these obligations (an activity's flow); None: all of them.
    """
    report = PlanReport()
    zone = ZoneInfo(program.timezone)
    contacts = active_contacts(session=session, program_id=program.id)
    not_before = next_window(now, zone, calendar)
    rows: list[dict[str, Any]] = []
    next_on: dict[str, dt.date | None] = {}
    for ob in ladder_candidates(
        session=session, program_id=program.id, as_of=as_of, obligation_ids=obligation_ids
    ):
        report.considered += 1
        facts = facts_of(ob)
        view = view_of(ob)
        for due in steps_due(program.ladder, facts, as_of, calendar):
            if due.date < (ob.ladder_next_on or facts.since):
                continue  # planned on an earlier run
            step = due.step
            report.steps.append((ob.id, step.step))
            recipients = resolve_recipients(program, ob.owners, step.to, contacts, step.cc)
            if not recipients:
                report.unaddressed.append((ob.id, step.step))
            overdue = calendar.working_days_between(ob.due, due.date) if due.date > ob.due else None
            for r in recipients:
                link = link_for(ob.id, r.contact.org) if link_for else None
                ctx = item_context(
                    program, view, step=step.step, recipient_name=r.contact.name,
                    is_copy=r.copy, overdue_days=overdue, link=link,
                )  # fmt: skip
                rendered = render_item(ctx)
                key = outbox_key(ob.id, ob.ladder_cycle, step.step, r.contact.id, r.channel)
                rows.append({
                    "key": key, "program_id": program.id, "obligation_id": ob.id,
                    "activity": ob.activity, "period": ob.period, "cycle": ob.ladder_cycle,
                    "step": step.step, "contact_id": r.contact.id, "recipient_org": r.contact.org,
                    "recipient_role": r.role, "recipient_name": r.contact.name,
                    "channel": r.channel,
                    "address": r.contact.email if r.channel == "email" else r.contact.telegram_chat_id,  # noqa: E501
                    "is_copy": r.copy, "digest": r.contact.digest, "scheduled_for": due.date,
                    "created_at": now, "not_before": not_before, "next_attempt_at": not_before,
                    "subject": rendered.subject, "body_text": rendered.text,
                    "body_html": rendered.html if r.channel == "email" else rendered.telegram,
                    "context": ctx, "thread_id": thread_id(ob.id, program.id),
                    "message_id": message_id(key, program.id), "state": "pending", "attempts": 0,
                })  # fmt: skip
        later = [d.date for d in next_step_dates(program.ladder, facts, calendar) if d.date > as_of]
        next_on[ob.id] = min(later) if later else None
    report.recorded = enqueue(session=session, rows=rows)
    set_ladder_next(session=session, next_on=next_on)
    return report
