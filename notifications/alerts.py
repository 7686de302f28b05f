"""Alerts: messages outside the ladder (a headcount off its trajectory, a request for agenda
items), recorded in the outbox like every other message and sent by the same sender."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from notifications.messages import (
    contact_block,
    coordinator_of,
    message_id,
    person_context,
    render_named,
    thread_id,
)
from roadmap.dates.quiet_hours import next_window
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.recipients import Recipient, resolve_recipients
from roadmap.program.model import Program, Role
from storage.contacts import active_contacts
from storage.outbox import enqueue


def record_alert(
    *,
    session: Session,
    program: Program,
    key: str,
    title: str,
    lines: Sequence[str],
    roles: Sequence[Role],
    now: dt.datetime,
    calendar: WorkCalendar,
    orgs: Sequence[str] = (),
    link: str | None = None,
    link_text: str = "Открыть",
    day: dt.date | None = None,
) -> int:
    """Record one alert per recipient and channel; ``key`` makes it once-only. Returns how many.

    Args:
        roles: who receives it; owner roles (executor, head) are looked up in ``orgs``.
    """
    zone = ZoneInfo(program.timezone)
    contacts = active_contacts(session=session, program_id=program.id)
    coordinator = coordinator_of(contacts)
    recipients = resolve_recipients(program, list(orgs), roles, contacts)
    when = next_window(now, zone, calendar)
    rows: list[dict[str, Any]] = []
    for r in recipients:
        ctx = {
            "recipient": person_context(r.contact),
            "title": title,
            "lines": list(lines),
            "link": link,
            "link_text": link_text,
            "program": program.title,
            "coordinator": contact_block(program, coordinator),
            "is_coordinator": coordinator is not None and coordinator.id == r.contact.id,
        }
        rows.append(
            _outbox_row(
                program=program,
                key=key,
                recipient=r,
                context=ctx,
                scheduled_for=day or now.astimezone(zone).date(),
                now=now,
                not_before=when,
            )
        )
    return enqueue(session=session, rows=rows)


def _outbox_row(
    *,
    program: Program,
    key: str,
    recipient: Recipient,
    context: dict[str, Any],
    scheduled_for: dt.date,
    now: dt.datetime,
    not_before: dt.datetime,
) -> dict[str, Any]:
    """The outbox row of one alert to one recipient on one channel, its texts rendered."""
    text, html, chat = (
        render_named(f"alert.{ext}.j2", a=context) for ext in ("txt", "html", "chat")
    )
    full_key = f"alert|{key}|{recipient.contact.id}|{recipient.channel}"
    return {
        "key": full_key,
        "program_id": program.id,
        "obligation_id": None,
        "activity": None,
        "period": None,
        "cycle": 0,
        "step": "alert",
        "contact_id": recipient.contact.id,
        "recipient_org": recipient.contact.org,
        "recipient_role": recipient.role,
        "recipient_name": recipient.contact.name,
        "channel": recipient.channel,
        "address": recipient.address,
        "is_copy": False,
        "digest": False,
        "scheduled_for": scheduled_for,
        "created_at": now,
        "not_before": not_before,
        "next_attempt_at": not_before,
        "subject": context["title"],
        "body_text": text,
        "body_html": html if recipient.channel == "email" else chat,
        "context": context,
        "thread_id": thread_id(key, program.id),
        "message_id": message_id(full_key, program.id),
        "state": "pending",
        "attempts": 0,
    }
