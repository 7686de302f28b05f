"""Sending: claim what may go out now, send each batch, record the outcome.

A batch is one message: a single item, or a digest gathering one recipient's items for a
channel. Claims are committed before anything is sent, and outcomes right after each
batch, so a crash loses nothing (an unfinished claim is taken again after the lease, with
the same Message-ID) and sends at most the one message that was in flight twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import Outgoing, Transports
from notifications.messages import render_digest
from roadmap.quiet_hours import in_window
from roadmap.workdays import WorkCalendar
from storage.db import session_scope
from storage.outbox import claim, mark_failed, mark_sent
from storage.tables import OutboxRecord

DEFAULT_MAX_ATTEMPTS = 6


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)  # outbox ids
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    messages: int = 0  # batches sent
    skipped_quiet_hours: bool = False


def to_outgoing(batch: list[OutboxRecord], program_title: str) -> Outgoing:
    """The message a batch makes: the item itself, or a digest of several."""
    first = batch[0]
    if len(batch) == 1:
        return Outgoing(
            channel=first.channel, address=first.address, recipient_name=first.recipient_name,
            subject=first.subject, text=first.body_text,
            html=first.body_html if first.channel == "email" else "",
            telegram=first.body_html if first.channel == "telegram" else first.body_text,
            message_id=first.message_id, thread_id=first.thread_id, keys=(first.key,),
        )  # fmt: skip
    day = min(r.scheduled_for for r in batch)
    rendered = render_digest(
        [r.context for r in batch], recipient_name=first.recipient_name, program=program_title,
        day=max(r.scheduled_for for r in batch),
    )  # fmt: skip
    digest_id = f"<digest-{first.batch_id}@{first.program_id}.roadmap>"
    return Outgoing(
        channel=first.channel, address=first.address, recipient_name=first.recipient_name,
        subject=rendered.subject, text=rendered.text, html=rendered.html,
        telegram=rendered.telegram, message_id=digest_id,
        thread_id=f"<digest-{first.contact_id}-{day.isoformat()}@{first.program_id}.roadmap>",
        keys=tuple(r.key for r in batch),
    )  # fmt: skip


def deliver(
    *,
    engine: Engine,
    now: dt.datetime,
    transports: Transports,
    zone: ZoneInfo,
    calendar: WorkCalendar,
    program_title: str,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    limit: int = 500,
    quiet_hours: bool = True,
) -> DeliveryReport:
    """Send what may go out at ``now`` (nothing outside working hours, unless told so)."""
    report = DeliveryReport()
    if quiet_hours and not in_window(now, zone, calendar):
        report.skipped_quiet_hours = True
        return report
    while True:
        with session_scope(engine) as s:
            claimed = claim(session=s, now=now, limit=limit)
        if not claimed:
            return report
        _send_claimed(engine, claimed, now, transports, program_title, max_attempts, report)


def _send_claimed(
    engine: Engine,
    claimed: list[OutboxRecord],
    now: dt.datetime,
    transports: Transports,
    program_title: str,
    max_attempts: int,
    report: DeliveryReport,
) -> None:
    batches: dict[str, list[OutboxRecord]] = defaultdict(list)
    for row in claimed:
        batches[row.batch_id or str(row.id)].append(row)
    for batch in batches.values():
        message = to_outgoing(batch, program_title)
        try:
            result = transports.for_channel(message.channel).send(message, now)
        except Exception as exc:  # a transport bug must not lose the claim's outcome
            result_ok, error = False, f"{type(exc).__name__}"
        else:
            result_ok, error = result.ok, result.error or "не отправлено"
        ids = [r.id for r in batch if r.id is not None]
        with session_scope(engine) as s:
            if result_ok:
                mark_sent(session=s, ids=ids, now=now)
                report.sent.extend(ids)
                report.messages += 1
            else:
                retried, failed = mark_failed(
                    session=s, ids=ids, now=now, error=error, max_attempts=max_attempts
                )
                report.retried.extend(retried)
                report.failed.extend(failed)
