"""The outbox: every message recorded before it is sent, claimed by one worker, sent once.

Writing a message is idempotent (its key is unique). A worker *claims* due messages with
one conditional UPDATE, so two workers never take the same row; a claim that is not
finished within the lease (the worker died mid-batch) is taken again by the next run, with
the same Message-ID. Failures are retried with backoff and, past the last attempt, marked
*failed* and kept for the coordinator's view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from storage.tables import OutboxRecord

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 720)


def enqueue(*, session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Record messages; those whose key is already there are left alone.

    Returns how many were new.
    """
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(OutboxRecord).on_conflict_do_nothing(index_elements=["key"])
    before = _count(session)
    for start in range(0, len(rows), 500):
        session.execute(stmt, list(rows[start : start + 500]))
    return _count(session) - before


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(OutboxRecord)).one()


def claim(
    *,
    session: Session,
    now: dt.datetime,
    limit: int = 200,
    lease: dt.timedelta = dt.timedelta(minutes=10),
    program_id: str | None = None,
) -> list[OutboxRecord]:
    """Take up to ``limit`` messages that may go out now (and stale claims), and batch them.

    Digest messages for one contact and channel share a batch (one message carries them);
    the others are a batch each. A stale claim keeps its batch, so a resend looks the same.
    ``program_id`` takes one program's messages only (each region sends in its own hours).
    """
    due = or_(
        and_(
            col(OutboxRecord.state) == PENDING,
            col(OutboxRecord.next_attempt_at) <= now,
            col(OutboxRecord.not_before) <= now,
        ),
        and_(col(OutboxRecord.state) == SENDING, col(OutboxRecord.claimed_at) < now - lease),
    )
    if program_id is not None:
        due = and_(col(OutboxRecord.program_id) == program_id, due)
    ids = list(
        session.exec(select(OutboxRecord.id).where(due).order_by(col(OutboxRecord.id)).limit(limit))
    )
    if not ids:
        return []
    claimed_ids = list(
        session.execute(
            update(OutboxRecord)
            .where(col(OutboxRecord.id).in_(ids), due)
            .values(state=SENDING, claimed_at=now, attempts=OutboxRecord.attempts + 1)
            .returning(col(OutboxRecord.id))
        ).scalars()
    )
    session.expire_all()
    rows = list(
        session.exec(
            select(OutboxRecord)
            .where(col(OutboxRecord.id).in_(claimed_ids))
            .order_by(col(OutboxRecord.id))
        )
    )
    groups: dict[tuple[Any, ...], str] = {}
    for row in rows:
        if row.batch_id is not None:
            continue
        key = (row.contact_id, row.channel) if row.digest else ("single", row.id)
        if key not in groups:  # the group's first item names the batch
            groups[key] = _batch_id(row)
        row.batch_id = groups[key]
    session.flush()
    return rows


def _batch_id(first: OutboxRecord) -> str:
    """A batch's id from its first item and attempt: no other batch has both (and a rerun gives
    the same ids, so a simulation's outbox is the same byte for byte). A retry after a failure
    is a new batch with a new id; a claim taken over after a crash keeps its batch and id."""
    key = f"{first.program_id}:{first.id}:{first.attempts}:{first.contact_id}:{first.channel}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def mark_sent(*, session: Session, ids: Sequence[int], now: dt.datetime) -> None:
    session.execute(
        update(OutboxRecord)
        .where(col(OutboxRecord.id).in_(list(ids)), col(OutboxRecord.state) == SENDING)
        .values(state=SENT, sent_at=now, last_error=None)
    )


def mark_failed(
    *,
    session: Session,
    ids: Sequence[int],
    now: dt.datetime,
    error: str,
    max_attempts: int,
    retry_after: dt.timedelta | None = None,
) -> tuple[list[int], list[int]]:
    """Schedule a retry with backoff, or give up after ``max_attempts``: (retried, failed) ids.

    ``retry_after`` is how long the peer asked us to wait (HTTP 429's Retry-After): the retry
    waits at least that long, and the backoff's step when that is longer.
    """
    retried: list[int] = []
    failed: list[int] = []
    for row in session.exec(select(OutboxRecord).where(col(OutboxRecord.id).in_(list(ids)))):
        row.last_error = error[:2000]
        if row.attempts >= max_attempts:
            row.state = FAILED
            failed.append(row.id or 0)
        else:
            wait = dt.timedelta(
                minutes=BACKOFF_MINUTES[min(row.attempts - 1, len(BACKOFF_MINUTES) - 1)]
            )
            row.state, row.batch_id = PENDING, None
            row.next_attempt_at = now + max(wait, retry_after or dt.timedelta(0))
            retried.append(row.id or 0)
    session.flush()
    return retried, failed


def outbox_items(
    *, session: Session, program_id: str | None = None, states: Sequence[str] | None = None
) -> list[OutboxRecord]:
    stmt = select(OutboxRecord).order_by(col(OutboxRecord.id))
    if program_id:
        stmt = stmt.where(OutboxRecord.program_id == program_id)
    if states:
        stmt = stmt.where(col(OutboxRecord.state).in_(list(states)))
    return list(session.exec(stmt))


def outbox_recipients(*, session: Session, ids: Sequence[int]) -> list[tuple[str, str]]:
    """(recipient name, organisation) of the messages ``ids``, in id order."""
    if not ids:
        return []
    stmt = (
        select(OutboxRecord.recipient_name, OutboxRecord.recipient_org)
        .where(col(OutboxRecord.id).in_(list(ids)))
        .order_by(col(OutboxRecord.id))
    )
    return [(name, org) for name, org in session.exec(stmt)]


def letters_replied_to(
    *, session: Session, outbox_id: int | None = None, message_ids: Sequence[str] = ()
) -> list[OutboxRecord]:
    """The e-mails a reply refers to: the one its tag names (``outbox_id``), or those whose
    Message-ID it quotes; a digest stands for every item it carried. Only letters that went
    out count: a reply cannot answer what was never sent.
    """
    sent = and_(col(OutboxRecord.channel) == "email", col(OutboxRecord.state) == SENT)
    if outbox_id is not None:
        found = session.exec(
            select(OutboxRecord).where(col(OutboxRecord.id) == outbox_id, sent)
        ).first()
        rows = [found] if found is not None else []
    else:
        ids = list(message_ids)
        rows = list(
            session.exec(select(OutboxRecord).where(col(OutboxRecord.message_id).in_(ids), sent))
        )
        batches = [i[len("<digest-") :].split("@")[0] for i in ids if i.startswith("<digest-")]
        if batches:
            rows += session.exec(
                select(OutboxRecord).where(col(OutboxRecord.batch_id).in_(batches), sent)
            )
    if len(rows) == 1 and rows[0].batch_id:
        # a tag names a batch's first item: the letter was the whole batch
        rows = list(
            session.exec(
                select(OutboxRecord).where(OutboxRecord.batch_id == rows[0].batch_id, sent)
            )
        )
    return sorted({r.id: r for r in rows}.values(), key=lambda r: r.id or 0)
