"""Letters read from the program mailbox: claimed once, then settled with what became of them.

A run that reads a letter calls ``claim_mail`` first in the transaction that records what the
letter brought (documents, replies to send) and ``settle_mail`` last in it. Of two runs
reading one letter at once, the second waits at the claim for the first to commit
(PostgreSQL's key lock; SQLite's write lock is taken at BEGIN) and then fails before it has
written anything; a run killed before its commit leaves nothing, and the letter is read
again by the next run.

Moving a letter out of the inbox is claimed too (two IMAP sessions moving one letter at once
may both copy it): the run that recorded a letter files it; a letter still in the inbox
past ``FILING_LEASE`` (its run died before the move) is filed by the next run that takes
the claim over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.audit import record_change
from storage.errors import MailAlreadyHandled
from storage.tables import MailMessageRecord

OUTCOMES = ("accepted", "refused", "not-ours")
FILING_LEASE = dt.timedelta(minutes=10)
MAIL_CHANNEL = "e-mail"


def handled_mail(*, session: Session, key: str) -> MailMessageRecord | None:
    """The record of a letter already handled, if there is one."""
    return session.get(MailMessageRecord, key)


def claim_mail(
    *,
    session: Session,
    key: str,
    uid: int | None,
    sender: str,
    subject: str | None,
    at: dt.datetime,
) -> MailMessageRecord:
    """Claim a letter for this transaction (call it first there).

    Raises:
        MailAlreadyHandled: another run has handled the letter (perhaps a moment ago).
    """
    if handled_mail(session=session, key=key) is not None:
        raise MailAlreadyHandled(key)
    row = MailMessageRecord(
        key=key,
        uid=uid,
        sender=sender[:320],
        subject=subject,
        outcome="handling",
        handled_at=at,
        filing_at=at,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise MailAlreadyHandled(key) from None
    return row


def settle_mail(
    *,
    session: Session,
    row: MailMessageRecord,
    outcome: str,
    reason: str | None,
    program_id: str | None = None,
    obligation_id: str | None = None,
    sender_org: str | None = None,
    evidence_ids: Sequence[int] = (),
) -> MailMessageRecord:
    """Record what became of a claimed letter, with its audit row, in the claim's transaction.

    Raises:
        ValueError: an outcome other than accepted, refused or not-ours.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    row.outcome, row.reason = outcome, reason
    row.program_id, row.obligation_id, row.sender_org = program_id, obligation_id, sender_org
    row.evidence_ids = list(evidence_ids)
    session.add(row)
    session.flush()
    record_change(
        session=session,
        at=row.handled_at,
        actor=row.sender,
        channel=MAIL_CHANNEL,
        action="mail_" + outcome.replace("-", "_"),
        entity="mail",
        entity_id=row.key[:200],
        program_id=program_id,
        field="outcome",
        new=outcome if reason is None else f"{outcome}: {reason}",
    )
    return row


def mail_since(
    *, session: Session, program_id: str, since: dt.datetime, until: dt.datetime | None = None
) -> list[MailMessageRecord]:
    """The program's letters handled in ``[since, until]`` (``until`` None: up to now), oldest
    first; letters no program could claim are listed under none."""
    stmt = select(MailMessageRecord).where(
        MailMessageRecord.program_id == program_id, col(MailMessageRecord.handled_at) >= since
    )
    if until is not None:
        stmt = stmt.where(col(MailMessageRecord.handled_at) <= until)
    return list(session.exec(stmt.order_by(col(MailMessageRecord.handled_at))))


def take_filing(
    *, session: Session, key: str, now: dt.datetime, lease: dt.timedelta = FILING_LEASE
) -> bool:
    """Take over moving a recorded letter out of the inbox: True when this run is to do it
    (its recording run died before the move, or the letter was filed and came in again)."""
    row = col(MailMessageRecord.key) == key
    free = or_(
        col(MailMessageRecord.filed_at).is_not(None),
        col(MailMessageRecord.filing_at).is_(None),
        col(MailMessageRecord.filing_at) < now - lease,
    )
    taken = session.execute(update(MailMessageRecord).where(and_(row, free)).values(filing_at=now))
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def mark_filed(*, session: Session, key: str, at: dt.datetime) -> None:
    """Record that a letter has left the inbox for its folder."""
    session.execute(
        update(MailMessageRecord).where(col(MailMessageRecord.key) == key).values(filed_at=at)
    )
