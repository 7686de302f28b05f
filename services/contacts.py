"""The program's people as use cases: who is active, and forgetting a person."""

from __future__ import annotations

from roadmap.obligations.recipients import Contact
from services.runtime import Runtime
from storage import contacts as stored
from storage.db import session_scope

__all__ = ["Contact", "active", "forget"]


def active(rt: Runtime) -> list[Contact]:
    """The program's active contacts, in the order they were loaded."""
    with session_scope(rt.engine) as s:
        return stored.active_contacts(session=s, program_id=rt.program.id)


def forget(rt: Runtime, *, name: str, by: str) -> int:
    """Erase a person's name and addresses from contacts and the outbox; how many contacts."""
    with session_scope(rt.engine) as s:
        return stored.delete_person(session=s, name=name, by=by, at=rt.now())
