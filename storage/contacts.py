"""Contacts in storage: replaced from a contacts file, read as domain ``Contact`` objects."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlmodel import Session, col, select

from roadmap.obligations.recipients import Contact
from roadmap.program.contacts import ContactSpec
from roadmap.program.model import Role
from storage.audit import AuditTrail
from storage.tables import AuditRecord, ContactRecord, OutboxRecord


def replace_contacts(
    *, session: Session, program_id: str, specs: list[ContactSpec], by: str, at: dt.datetime
) -> tuple[int, int, int]:
    """Make the stored contacts match ``specs``: (added, changed, deactivated).

    A contact is the same person when organization, role and name match; contacts no longer
    in the file are deactivated, not deleted (the outbox keeps pointing at them).
    """
    rows = {
        (r.org_id, r.role, r.name): r
        for r in session.exec(select(ContactRecord).where(ContactRecord.program_id == program_id))
    }
    added = changed = deactivated = 0
    trail = AuditTrail(session=session, at=at, actor=by, channel="cli", program_id=program_id)
    for spec in specs:
        row = rows.pop((spec.org, spec.role, spec.name), None)
        values = _values(spec)
        if row is None:
            row = ContactRecord(
                program_id=program_id, org_id=spec.org, role=spec.role, name=spec.name, **values
            )
            session.add(row)
            session.flush()  # its id names it in the audit
            added += 1
            action = "contact_added"
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
            action = "contact_changed"
        else:
            continue
        trail.record(action, entity="contact", entity_id=_audit_id(row))
    for row in rows.values():
        if row.active:
            row.active = False
            deactivated += 1
            trail.record("contact_deactivated", entity="contact", entity_id=_audit_id(row))
    session.flush()
    return added, changed, deactivated


def _audit_id(row: ContactRecord) -> str:
    """A contact as the audit names it: organisation, role and row id, never the person's
    name (which ``delete_person`` must be able to erase)."""
    return f"{row.org_id}:{row.role}:#{row.id}"


def _values(spec: ContactSpec) -> dict[str, Any]:
    """The stored fields of a contact, besides the three that identify it."""
    return {
        "email": spec.email,
        "telegram_chat_id": spec.telegram,
        "max_id": spec.max,
        "digest": spec.digest,
        "salutation": spec.salutation,
        "position": spec.position,
        "phone": spec.phone,
        "active": True,
    }


def active_contacts(*, session: Session, program_id: str) -> list[Contact]:
    stmt = (
        select(ContactRecord)
        .where(ContactRecord.program_id == program_id, col(ContactRecord.active).is_(True))
        .order_by(col(ContactRecord.id))
    )
    return [
        Contact(
            id=r.id or 0,
            org=r.org_id,
            role=cast(Role, r.role),
            name=r.name,
            email=r.email,
            telegram_chat_id=r.telegram_chat_id,
            digest=r.digest,
            max_id=r.max_id,
            salutation=r.salutation,
            position=r.position,
            phone=r.phone,
        )
        for r in session.exec(stmt)
    ]


def delete_person(*, session: Session, name: str, by: str, at: dt.datetime) -> int:
    """Remove a person's contact details (the right to erasure); returns how many contacts.

    The contact rows stay (outbox rows refer to them) but lose name and addresses; the
    outbox rows addressed to the person lose the address, the name and the text (which
    greets them by name). Letters to others that name the person as whom to contact keep
    it, as a letter already sent does.
    """
    rows = list(session.exec(select(ContactRecord).where(ContactRecord.name == name)))
    for row in rows:
        _erase_from_audit(session, row)
        for item in session.exec(select(OutboxRecord).where(OutboxRecord.contact_id == row.id)):
            item.address, item.recipient_name = "удалено", "удалено"
            item.subject = item.body_text = item.body_html = "удалено"
            item.context = {}
        row.name, row.email, row.telegram_chat_id = f"удалено #{row.id}", None, None
        row.max_id = row.salutation = row.position = row.phone = None
        row.active = False
        trail = AuditTrail(
            session=session, at=at, actor=by, channel="cli", program_id=row.program_id
        )
        trail.record("contact_erased", entity="contact", entity_id=_audit_id(row))
    return len(rows)


def _erase_from_audit(session: Session, row: ContactRecord) -> None:
    """The person's name taken out of the audit rows about their contact (rows written before
    the audit named contacts by id said «org:role:name»)."""
    named = f"{row.org_id}:{row.role}:{row.name}"
    stmt = select(AuditRecord).where(
        AuditRecord.entity == "contact", AuditRecord.entity_id == named
    )
    for audit in session.exec(stmt):
        audit.entity_id = _audit_id(row)
