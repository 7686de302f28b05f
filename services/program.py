"""Bringing storage in line with the program data and the contacts file, as use cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from roadmap.obligations.expansion import Obligation
from roadmap.program.contacts import ContactSpec
from roadmap.program.contacts import load_contacts as read_contacts
from services.runtime import Runtime
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.outbox import outbox_items
from storage.reporting import ReportFacts, report_facts
from storage.sync import SyncReport, sync_program
from storage.tables import OutboxRecord


def sync(
    rt: Runtime, *, at: dt.datetime | None = None, obligations: list[Obligation] | None = None
) -> SyncReport:
    """Store the program's data and obligations (nothing changes when they are the same)."""
    with session_scope(rt.engine) as s:
        return sync_program(
            session=s,
            program=rt.program,
            at=at or rt.now(),
            calendar=rt.calendar,
            obligations=obligations,
        )


def load_contacts(
    rt: Runtime, specs: list[ContactSpec], *, by: str, at: dt.datetime | None = None
) -> tuple[int, int, int]:
    """Make the stored contacts match the file: (added, changed, deactivated)."""
    with session_scope(rt.engine) as s:
        return replace_contacts(
            session=s, program_id=rt.program.id, specs=specs, by=by, at=at or rt.now()
        )


@dataclass(frozen=True)
class Loaded:
    """What bringing one program in line did: its data, and its own contacts file's people."""

    sync: SyncReport
    contacts_file: Path | None = None
    contacts: tuple[int, int, int] | None = None  # added, changed, deactivated


def sync_with_contacts(rt: Runtime, *, by: str, at: dt.datetime | None = None) -> Loaded:
    """Store the program and, when it has a contacts file of its own, its contacts.

    The file is checked before anything is stored: a contact for an organisation the program
    does not have is refused with its file, line and field, and nothing is written.

    Raises:
        ProgramErrors: the contacts file's problems, each located.
    """
    path = rt.contacts_file
    specs = read_contacts(path, rt.program) if path is not None else None
    report = sync(rt, at=at)
    if specs is None:
        return Loaded(report)
    return Loaded(report, path, load_contacts(rt, specs, by=by, at=at))


def facts(rt: Runtime) -> ReportFacts:
    """Everything recorded about the program, as the reports read it."""
    with session_scope(rt.engine) as s:
        return report_facts(session=s, program_id=rt.program.id)


def outbox(rt: Runtime, states: Sequence[str] | None = None) -> list[OutboxRecord]:
    """Every program's outbox items in these states (all when None), oldest first."""
    with session_scope(rt.engine) as s:
        return outbox_items(session=s, states=states)


def messages(rt: Runtime, states: Sequence[str] | None = None) -> list[OutboxRecord]:
    """The outbox's items of the program, oldest first."""
    with session_scope(rt.engine) as s:
        return outbox_items(session=s, program_id=rt.program.id, states=states)
