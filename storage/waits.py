"""Flow runs waiting for input, agenda items for commission meetings, used intake links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from roadmap.obligations.keys import WaitKey
from storage.audit import AuditTrail
from storage.errors import LinkAlreadyUsed
from storage.tables import AgendaItemRecord, AuditRecord, FlowWaitRecord, UsedLinkRecord


def register_wait(
    *, session: Session, flow_run_id: str, keys: Sequence[WaitKey], at: dt.datetime
) -> None:
    for key in keys:
        session.add(FlowWaitRecord(flow_run_id=flow_run_id, key=key.format(), created_at=at))


def resolve_waits(*, session: Session, flow_run_id: str, at: dt.datetime) -> None:
    for row in session.exec(
        select(FlowWaitRecord).where(
            FlowWaitRecord.flow_run_id == flow_run_id, col(FlowWaitRecord.resolved_at).is_(None)
        )
    ):
        row.resolved_at = at


def waiting_runs(*, session: Session, keys: Sequence[WaitKey]) -> list[str]:
    """Flow runs still waiting on any of ``keys``."""
    texts = [k.format() for k in keys]
    stmt = select(FlowWaitRecord.flow_run_id).where(
        col(FlowWaitRecord.key).in_(texts), col(FlowWaitRecord.resolved_at).is_(None)
    )
    return sorted(set(session.exec(stmt)))


def record_agenda_item(
    *,
    session: Session,
    program_id: str,
    period: str,
    org: str,
    text: str,
    given_by: str,
    channel: str,
    at: dt.datetime,
) -> AgendaItemRecord:
    """Record a proposal for a commission meeting's agenda.

    Raises:
        ValueError: the text is empty.
    """
    if not text.strip():
        raise ValueError("предложение в повестку не может быть пустым")
    row = AgendaItemRecord(
        program_id=program_id,
        period=period,
        org_id=org,
        text=text.strip(),
        given_by=given_by,
        channel=channel,
        given_at=at,
    )
    session.add(row)
    session.flush()
    trail = AuditTrail(
        session=session, at=at, actor=given_by, channel=channel, program_id=program_id
    )
    trail.record(
        "agenda_item", entity="agenda_item", entity_id=str(row.id), field="text", new=row.text
    )
    return row


def agenda_items(*, session: Session, program_id: str, period: str) -> list[AgendaItemRecord]:
    stmt = (
        select(AgendaItemRecord)
        .where(AgendaItemRecord.program_id == program_id, AgendaItemRecord.period == period)
        .order_by(col(AgendaItemRecord.id))
    )
    return list(session.exec(stmt))


def link_used(*, session: Session, nonce: str) -> bool:
    return session.get(UsedLinkRecord, nonce) is not None


def mark_link_used(
    *, session: Session, nonce: str, obligation_id: str, org: str, at: dt.datetime
) -> None:
    """Record that a link served its submission (in the submission's own transaction).

    Call it first in that transaction: of two submissions through one link at once, the
    second waits here for the first (PostgreSQL's key lock; SQLite's write lock is taken at
    BEGIN) and then fails before it has written anything.

    Raises:
        LinkAlreadyUsed: the link has served a submission already.
    """
    if link_used(session=session, nonce=nonce):
        raise LinkAlreadyUsed("по этой ссылке документы уже представлены")
    session.add(UsedLinkRecord(nonce=nonce, obligation_id=obligation_id, org_id=org, used_at=at))
    try:
        session.flush()
    except IntegrityError:
        raise LinkAlreadyUsed("по этой ссылке документы уже представлены") from None


REFUSED = "intake_refused"


def refused_attempts(*, session: Session, nonce: str) -> int:
    """How many submissions through a link were refused for their files (audit rows)."""
    stmt = select(func.count()).where(
        AuditRecord.action == REFUSED,
        AuditRecord.entity == "intake_link",
        AuditRecord.entity_id == nonce,
    )
    return int(session.exec(stmt).one())


def record_refused_attempt(
    *,
    session: Session,
    nonce: str,
    program_id: str,
    actor: str,
    reason: str,
    channel: str,
    at: dt.datetime,
) -> int:
    """Record a submission refused for its files (nothing of it is kept but this row).

    Returns:
        the link's refused submissions, this one included.
    """
    trail = AuditTrail(session=session, at=at, actor=actor, channel=channel, program_id=program_id)
    trail.record(REFUSED, entity="intake_link", entity_id=nonce, field="files", new=reason)
    session.flush()
    return refused_attempts(session=session, nonce=nonce)
