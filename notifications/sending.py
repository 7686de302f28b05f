"""Sending: claim what may go out now, send each batch, record the outcome.

A batch is one message: a single item, or a digest gathering one recipient's items for a
channel (``roadmap/obligations/digests.py`` says what a digest lists). Claims are committed before
anything is sent, and outcomes right after each batch, so a crash loses nothing (an
unfinished claim is taken again after the lease, with the same Message-ID) and sends at
most the one message that was in flight twice. A refusal that says when to come back
(HTTP 429 with Retry-After) is not retried before then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from notifications.delivery import Outgoing, Result, Transports
from notifications.messages import render_digest
from roadmap.dates.quiet_hours import in_window
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.digests import DigestItem, plan_digest, window_end
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


def _single(row: OutboxRecord, keys: tuple[str, ...]) -> Outgoing:
    mail = row.channel == "email"
    return Outgoing(
        channel=row.channel,
        address=row.address,
        recipient_name=row.recipient_name,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html if mail else "",
        chat="" if mail else row.body_html,
        message_id=row.message_id,
        thread_id=row.thread_id,
        keys=keys,
        reply_to=_reply_to(row),
    )


def _reply_to(row: OutboxRecord) -> str | None:
    """Replies go to the program's coordinator, the person every letter names."""
    coordinator = row.context.get("coordinator") or {}
    return coordinator.get("email") if not row.context.get("is_coordinator") else None


def to_outgoing(batch: list[OutboxRecord], *, day: dt.date, calendar: WorkCalendar) -> Outgoing:
    """The message a batch makes on ``day``: the item itself, or a digest of several."""
    first = batch[0]
    keys = tuple(r.key for r in batch)
    if len(batch) == 1:
        return _single(first, keys)
    plan = plan_digest(
        [
            DigestItem(
                obligation=r.obligation_id or r.key,
                due=dt.date.fromisoformat(r.context["o"]["due_on"]),
                order=(r.scheduled_for, r.id or 0),
                value=r,
            )
            for r in batch
        ],
        day,
        calendar,
    )
    if len(plan.listed) == 1 and not plan.later:  # one item, reached by several steps
        return _single(plan.listed[0], keys)
    rendered = render_digest(
        [r.context for r in plan.listed],
        first=first.context,
        day=day,
        horizon=window_end(day, calendar),
        calendar=calendar,
        later=len(plan.later),
    )
    return Outgoing(
        channel=first.channel,
        address=first.address,
        recipient_name=first.recipient_name,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        chat=rendered.chat,
        message_id=f"<digest-{first.batch_id}@{first.program_id}.roadmap>",
        thread_id=f"<digest-{first.contact_id}-{day.isoformat()}@{first.program_id}.roadmap>",
        keys=keys,
        reply_to=_reply_to(first),
    )


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
    program_id: str | None = None,
    sender: str | None = None,
) -> DeliveryReport:
    """Send what may go out at ``now`` (nothing outside working hours, unless told so).

    ``zone`` is the program's: its working hours decide. With ``program_id`` only that
    program's messages are taken, so that a region's sweep never sends another region's
    messages outside that region's hours (every caller that runs for one program passes
    it). ``program_title`` is kept for callers; the messages carry the program's title.
    ``sender`` is the name letters come from (the program's ``sender``), beside the address
    the SMTP settings give.
    """
    report = DeliveryReport()
    if quiet_hours and not in_window(now, zone, calendar):
        report.skipped_quiet_hours = True
        return report
    day = now.astimezone(zone).date()
    while True:
        with session_scope(engine) as s:
            claimed = claim(session=s, now=now, limit=limit, program_id=program_id)
        if not claimed:
            return report
        batches: dict[str, list[OutboxRecord]] = defaultdict(list)
        for row in claimed:
            batches[row.batch_id or str(row.id)].append(row)
        for batch in batches.values():
            result = _send(batch, transports, now, day, calendar, sender)
            _record(engine, batch, result, now, max_attempts, report)


def _send(
    batch: list[OutboxRecord],
    transports: Transports,
    now: dt.datetime,
    day: dt.date,
    calendar: WorkCalendar,
    sender: str | None = None,
) -> Result:
    try:
        message = replace(to_outgoing(batch, day=day, calendar=calendar), sender=sender)
        # the tag names the item the message is (a digest's first: it stands for the batch)
        first = next((r for r in batch if r.message_id == message.message_id), batch[0])
        if message.channel == "email" and transports.replies and first.id is not None:
            tagged = transports.replies.address(first.id, first.program_id)
            message = replace(message, reply_to=tagged or message.reply_to)
        return transports.for_channel(message.channel).send(message, now)
    except Exception as exc:  # a template or transport bug must not lose the claim's outcome
        return Result(False, type(exc).__name__)


def _record(
    engine: Engine,
    batch: list[OutboxRecord],
    result: Result,
    now: dt.datetime,
    max_attempts: int,
    report: DeliveryReport,
) -> None:
    ids = [r.id for r in batch if r.id is not None]
    with session_scope(engine) as s:
        if result.ok:
            mark_sent(session=s, ids=ids, now=now)
            report.sent.extend(ids)
            report.messages += 1
            return
        retried, failed = mark_failed(
            session=s,
            ids=ids,
            now=now,
            error=result.error or "не отправлено",
            max_attempts=max_attempts,
            retry_after=result.retry_after,
        )
        report.retried.extend(retried)
        report.failed.extend(failed)
