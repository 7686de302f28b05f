"""Planning: the ladder's due steps become outbox messages, recorded before anything is sent.

For each owed obligation whose next ladder day has come, every step dated from that day
up to the as-of date is planned (so a day the engine did not run is caught up), each
recipient gets one message per channel, and the obligation's next ladder day moves on, but
never past a step that reached nobody: with no contact for its recipients that step stays
due and is planned again each day, and goes out once a contact exists.
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
    Addressee,
    ObligationView,
    coordinator_of,
    item_context,
    message_id,
    render_item,
    thread_id,
)
from roadmap.dates.quiet_hours import next_window
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.ladder import (
    LadderFacts,
    days_left_at_opening,
    next_step_dates,
    steps_due,
)
from roadmap.obligations.recipients import Contact, Recipient, resolve_recipients
from roadmap.program.model import LadderStep, Program
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
    # steps that reached nobody: they stay due and are planned again once a contact exists
    unaddressed: list[Unreached] = field(default_factory=list)


@dataclass(frozen=True)
class Unreached:
    """A ladder step with no recipient: whom it was for (organisations and roles)."""

    obligation_id: str
    step: str
    orgs: tuple[str, ...]
    roles: tuple[str, ...]


def outbox_key(obligation_id: str, cycle: int, step: str, contact_id: int, channel: str) -> str:
    """The idempotency key: one message per obligation, ladder cycle, step, contact, channel."""
    return f"{obligation_id}|{cycle}|{step}|{contact_id}|{channel}"


def facts_of(row: ObligationRecord) -> LadderFacts:
    return LadderFacts(
        opens=row.opens,
        due=row.due,
        state=row.state,
        cycle=row.ladder_cycle,
        since=row.ladder_since,
        anchor=row.ladder_anchor,
        cancelled=row.cancelled_in_version is not None,
    )


def view_of(row: ObligationRecord) -> ObligationView:
    return ObligationView(
        id=row.id,
        activity=row.activity,
        kind=row.kind,
        report_kind=row.report_kind,
        period=row.period,
        due=row.due,
        owners=tuple(row.owners),
        evidence=row.evidence_kind,
    )


def lead_contact_of(program: Program, owners: list[str], contacts: list[Contact]) -> Contact | None:
    """The lead executor's contact person, whom co-executors' letters name."""
    found = resolve_recipients(program, owners[:1], ("executor",), contacts)
    return next((r.contact for r in found if r.contact.email), found[0].contact if found else None)


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
        link_for: makes the intake link a message to an executor or head carries (None: no
            link; the message then says how to answer through the coordinator).
        obligation_ids: only these obligations (an activity's flow); None: all of them.
    """
    candidates = ladder_candidates(
        session=session, program_id=program.id, as_of=as_of, obligation_ids=obligation_ids
    )
    if not candidates:  # most days: nothing to plan, nor contacts to read
        return PlanReport()
    contacts = active_contacts(session=session, program_id=program.id)
    plan = _LadderPlan(
        program=program,
        as_of=as_of,
        now=now,
        calendar=calendar,
        link_for=link_for,
        contacts=contacts,
        coordinator=coordinator_of(contacts),
        not_before=next_window(now, ZoneInfo(program.timezone), calendar),
    )
    for ob in candidates:
        plan.plan_obligation(ob)
    plan.report.recorded = enqueue(session=session, rows=plan.rows)
    set_ladder_next(session=session, next_on=plan.next_on)
    return plan.report


@dataclass
class _LadderPlan:
    """One planning run: the outbox rows it records and each obligation's next ladder day."""

    program: Program
    as_of: dt.date
    now: dt.datetime
    calendar: WorkCalendar
    link_for: LinkFor | None
    contacts: list[Contact]
    coordinator: Contact | None
    not_before: dt.datetime
    report: PlanReport = field(default_factory=PlanReport)
    rows: list[dict[str, Any]] = field(default_factory=list)
    next_on: dict[str, dt.date | None] = field(default_factory=dict)

    def plan_obligation(self, ob: ObligationRecord) -> None:
        """Every step of ``ob`` due since its next ladder day; then its next ladder day."""
        program, calendar = self.program, self.calendar
        self.report.considered += 1
        facts = facts_of(ob)
        view = view_of(ob)
        lead_contact = lead_contact_of(program, list(ob.owners), self.contacts)
        held: list[dt.date] = []  # steps that reached nobody stay due
        for due in steps_due(program.ladder, facts, self.as_of, calendar):
            if due.date < (ob.ladder_next_on or facts.since):
                continue  # planned on an earlier run
            if not self._plan_step(ob, view, due.step, due.date, lead_contact):
                held.append(due.date)
        later = [
            d.date for d in next_step_dates(program.ladder, facts, calendar) if d.date > self.as_of
        ]
        self.next_on[ob.id] = min(held + later) if held or later else None

    def _plan_step(
        self,
        ob: ObligationRecord,
        view: ObligationView,
        step: LadderStep,
        on: dt.date,
        lead_contact: Contact | None,
    ) -> bool:
        """One message per recipient and channel of ``step``; False: it reached nobody."""
        program = self.program
        self.report.steps.append((ob.id, step.step))
        recipients = resolve_recipients(program, ob.owners, step.to, self.contacts, step.cc)
        if not recipients:
            roles = (*step.to, *step.cc)
            self.report.unaddressed.append(Unreached(ob.id, step.step, tuple(ob.owners), roles))
        overdue = self.calendar.working_days_between(ob.due, on) if on > ob.due else None
        left = None  # an opening notice whose reminders fell before it names the days left
        if step.offset is None:
            left = days_left_at_opening(self.program.ladder, facts_of(ob), self.calendar)
        addressees = list(dict.fromkeys(r.contact.name for r in recipients if not r.copy))
        for r in recipients:
            answers = r.role in ("executor", "head") and not r.copy
            link = self.link_for(ob.id, r.contact.org) if self.link_for and answers else None
            to = Addressee(r.contact, r.role, r.lead, r.copy, link)
            ctx = item_context(
                program,
                view,
                step=step.step,
                to=to,
                overdue_days=overdue,
                coordinator=self.coordinator,
                lead_contact=lead_contact,
                addressees=addressees if r.copy else (),
                days_left=left,
            )
            key = outbox_key(ob.id, ob.ladder_cycle, step.step, r.contact.id, r.channel)
            times = {
                "created_at": self.now,
                "not_before": self.not_before,
                "next_attempt_at": self.not_before,
            }
            self.rows.append({**_row(key, program, ob, r, ctx, on), **times})
        return bool(recipients)


def _row(
    key: str,
    program: Program,
    ob: ObligationRecord,
    r: Recipient,
    ctx: dict[str, Any],
    scheduled_for: dt.date,
) -> dict[str, Any]:
    """The outbox row of one message (its times are the caller's)."""
    rendered = render_item(ctx, r.channel)
    return {
        "key": key,
        "program_id": program.id,
        "obligation_id": ob.id,
        "activity": ob.activity,
        "period": ob.period,
        "cycle": ob.ladder_cycle,
        "step": ctx["step"],
        "contact_id": r.contact.id,
        "recipient_org": r.contact.org,
        "recipient_role": r.role,
        "recipient_name": r.contact.name,
        "channel": r.channel,
        "address": r.address,
        "is_copy": r.copy,
        "digest": r.contact.digest,
        "scheduled_for": scheduled_for,
        "subject": rendered.subject,
        "body_text": rendered.text,
        # an e-mail's HTML part, or the messenger's HTML text
        "body_html": rendered.html if r.channel == "email" else rendered.chat,
        "context": ctx,
        "thread_id": thread_id(ob.id, program.id),
        "message_id": message_id(key, program.id),
        "state": "pending",
        "attempts": 0,
    }
