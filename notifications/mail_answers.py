"""Answers to letters that came to the program mailbox: a confirmation, or what went wrong and
what to do, recorded in the outbox like every other letter and sent by the same sender.

An answer is an e-mail to the address the letter came from, in reply to it (its
``In-Reply-To`` is that letter's Message-ID, so the sender's mail client threads it). Its
outbox key names the letter it answers, so a run that handles the letter again records no
second answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from notifications.messages import (
    contact_block,
    coordinator_of,
    letter_obligation,
    message_id,
    render_named,
)
from notifications.planning import view_of
from roadmap.dates.quiet_hours import next_window
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.recipients import Contact
from roadmap.program.model import Program
from roadmap.words.wording import address_ru, date_ru
from storage.contacts import active_contacts
from storage.outbox import enqueue
from storage.tables import ObligationRecord

KINDS = (
    "accepted",
    "details",
    "no-attachment",
    "refused-file",
    "closed",
    "ambiguous",
    "unknown-sender",
)


@dataclass(frozen=True)
class MailAnswer:
    """What an answer says: its kind (``KINDS``) and the facts its sentences need."""

    kind: str
    documents: Sequence[str] = ()  # each document by its details, as officials name it
    problems: Sequence[str] = ()  # each refused file: its name and why
    details_missing: bool = False
    closed_reason: str | None = None
    max_mb: int = 25


@dataclass(frozen=True)
class Sender:
    """Whom an answer goes to: the letter's address and name, and their contact if listed."""

    address: str
    name: str
    contact: Contact | None = None
    org: str | None = None


def _recipient(sender: Sender) -> dict[str, Any]:
    if sender.contact is not None:
        name, salutation = sender.contact.name, sender.contact.salutation
    else:
        name, salutation = sender.name, None
    found = address_ru(name) if name else None
    return {
        "name": name or sender.address,
        "salutation": salutation,
        "address_name": found[0] if found else None,
        "gender": found[1] if found else None,
    }


def answer_context(
    program: Program,
    answer: MailAnswer,
    *,
    sender: Sender,
    obligation: ObligationRecord | None,
    received: dt.date,
    coordinator: Contact | None,
) -> dict[str, Any]:
    """Everything an answer says (JSON-ready: it is kept with the outbox row)."""
    return {
        "kind": answer.kind,
        "program": program.title,
        "program_short": program.region,
        "recipient": _recipient(sender),
        "sender": sender.address,
        "received": date_ru(received),
        "o": letter_obligation(program, view_of(obligation)) if obligation else None,
        "documents": list(answer.documents),
        "problems": list(answer.problems),
        "details_missing": answer.details_missing,
        "closed_reason": answer.closed_reason,
        "max_mb": answer.max_mb,
        "coordinator": contact_block(program, coordinator),
        "is_coordinator": False,
    }


def record_mail_answer(
    *,
    session: Session,
    program: Program,
    letter_key: str,
    in_reply_to: str | None,
    answer: MailAnswer,
    sender: Sender,
    obligation: ObligationRecord | None,
    now: dt.datetime,
    calendar: WorkCalendar,
) -> int:
    """Record the answer to one letter (once: its key names the letter). Returns how many."""
    zone = ZoneInfo(program.timezone)
    contacts = active_contacts(session=session, program_id=program.id)
    ctx = answer_context(
        program,
        answer,
        sender=sender,
        obligation=obligation,
        received=now.astimezone(zone).date(),
        coordinator=coordinator_of(contacts),
    )
    when = next_window(now, zone, calendar)
    key = f"mail|{letter_key}|{answer.kind}"
    own_id = message_id(key, program.id)
    row = {
        "key": key[:300],
        "program_id": program.id,
        "obligation_id": obligation.id if obligation else None,
        "activity": obligation.activity if obligation else None,
        "period": obligation.period if obligation else None,
        "cycle": obligation.ladder_cycle if obligation else 0,
        "step": f"mail-{answer.kind}",
        "contact_id": sender.contact.id if sender.contact else None,
        "recipient_org": sender.org or "",
        "recipient_role": sender.contact.role if sender.contact else "sender",
        "recipient_name": sender.contact.name if sender.contact else sender.name or sender.address,
        "channel": "email",
        "address": sender.address,
        "is_copy": False,
        "digest": False,
        "scheduled_for": now.astimezone(zone).date(),
        "created_at": now,
        "not_before": when,
        "next_attempt_at": when,
        "subject": render_named("mail_subject.txt.j2", a=ctx).strip(),
        "body_text": render_named("mail_answer.txt.j2", a=ctx),
        "body_html": render_named("mail_answer.html.j2", a=ctx),
        "context": ctx,
        "thread_id": in_reply_to or own_id,
        "message_id": own_id,
        "state": "pending",
        "attempts": 0,
    }
    return enqueue(session=session, rows=[row])
