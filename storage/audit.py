"""The audit log: every change to stored facts leaves a row saying who, when, what, old and new."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from storage.tables import AuditRecord


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def audit_row(
    *,
    at: dt.datetime,
    actor: str,
    channel: str,
    action: str,
    entity: str,
    entity_id: str,
    program_id: str | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> dict[str, Any]:
    """An audit row as plain values, for bulk inserts of many changes at once."""
    return {
        "program_id": program_id,
        "at": at,
        "actor": actor,
        "channel": channel,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "field": field,
        "old": _text(old),
        "new": _text(new),
    }


def record_change(
    *,
    session: Session,
    at: dt.datetime,
    actor: str,
    channel: str,
    action: str,
    entity: str,
    entity_id: str,
    program_id: str | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> AuditRecord:
    """Add one audit row to the session (it commits with the change it describes)."""
    row = AuditRecord(
        **audit_row(
            at=at,
            actor=actor,
            channel=channel,
            action=action,
            entity=entity,
            entity_id=entity_id,
            program_id=program_id,
            field=field,
            old=old,
            new=new,
        )
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class AuditTrail:
    """Who changes one program's stored facts, when and through which channel, said once.

    Each ``record`` adds one audit row to the session, so a function that makes several
    changes under one hand (an extension decided and the due date it moves) names the
    hand once.
    """

    session: Session
    at: dt.datetime
    actor: str
    channel: str
    program_id: str | None = None

    def record(
        self,
        action: str,
        *,
        entity: str,
        entity_id: str,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> AuditRecord:
        """Add the audit row of one change (it commits with the change it describes)."""
        return record_change(
            session=self.session,
            at=self.at,
            actor=self.actor,
            channel=self.channel,
            action=action,
            entity=entity,
            entity_id=entity_id,
            program_id=self.program_id,
            field=field,
            old=old,
            new=new,
        )


def history(*, session: Session, entity: str, entity_id: str) -> list[AuditRecord]:
    """The audit rows of one entity, oldest first."""
    stmt = (
        select(AuditRecord)
        .where(AuditRecord.entity == entity, AuditRecord.entity_id == entity_id)
        .order_by(col(AuditRecord.id))
    )
    return list(session.exec(stmt))


def count_changes(*, session: Session, actions: Iterable[str] | None = None) -> int:
    stmt = select(func.count()).select_from(AuditRecord)
    if actions is not None:
        stmt = stmt.where(col(AuditRecord.action).in_(list(actions)))
    return session.exec(stmt).one()
