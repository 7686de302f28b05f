"""Due dates people set: obligations counted from an event become dated, once (rule 8).

An activity the program marks ``due_set_by_person`` («в 30-дневный срок со дня вступления в
силу …») owes something whose date no calendar gives. Until a person sets it, it is not
stored as an obligation at all, so no reminder or escalation can fall due for it. Setting
it stores the date with its basis (the event and its date) and the obligation itself, open,
its ladder counting from that day. It is set once: a later move is an extension
(``request_extension``), decided like any other.

Two people setting the same date at once: the setting's primary key lets one in; the other
is refused (on SQLite the second transaction waits for the first and reads its row; on
PostgreSQL its insert waits for the first to commit and then fails on the key).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from roadmap.dates.date_window import check_in_window
from roadmap.errors import RoadmapError
from roadmap.obligations.expansion import Obligation, PendingObligation
from roadmap.obligations.states import Event, State
from roadmap.program.model import Program
from storage.audit import AuditTrail
from storage.errors import NotSynced
from storage.obligations import change_state, lock_obligation
from storage.sync import new_obligation_row, owner_rows
from storage.tables import (
    DueSettingRecord,
    ObligationOwnerRecord,
    ObligationRecord,
    ProgramRecord,
)


class DueAlreadySet(RoadmapError):
    """The due date of this obligation has been set already; moving it is an extension."""


def _store_setting(session: Session, setting: DueSettingRecord) -> None:
    """Store who set an obligation's due date and on what basis, refusing a second setting.

    Raises:
        DueAlreadySet: the date is set already (by someone else, perhaps just now).
    """
    if (stored := session.get(DueSettingRecord, setting.obligation_id)) is not None:
        raise _already_set(setting.obligation_id, stored)
    session.add(setting)
    try:
        session.flush()
    except IntegrityError as exc:  # PostgreSQL: another transaction set it meanwhile
        raise _already_set(setting.obligation_id, None) from exc


def _store_dated_obligation(
    session: Session, program: Program, ob: Obligation, version: str, trail: AuditTrail
) -> None:
    """Store the newly dated obligation open, its ladder counting from today."""
    today = trail.at.astimezone(ZoneInfo(program.timezone)).date()
    if session.get(ObligationRecord, ob.id) is None:
        session.execute(
            insert(ObligationRecord), [new_obligation_row(program, ob, version, trail.at, today)]
        )
        session.execute(insert(ObligationOwnerRecord), owner_rows(program, ob))
        trail.record("create", entity="obligation", entity_id=ob.id, field="state", new=State.OPEN)
        return
    # a row an earlier version of the program had under this id: it takes the new date
    row = lock_obligation(session=session, obligation_id=ob.id)
    if row.cancelled_in_version is not None:
        row.cancelled_in_version = None
        if row.state == State.CANCELLED:
            change_state(
                session=session,
                row=row,
                event=Event.REOPEN,
                actor=trail.actor,
                channel=trail.channel,
                at=trail.at,
            )
    row.program_due = row.due = ob.due
    row.ladder_cycle, row.ladder_anchor = 0, None
    row.ladder_since = row.ladder_next_on = today
    row.updated_at = trail.at


def _already_set(ob_id: str, row: DueSettingRecord | None) -> DueAlreadySet:
    when = f": {row.due:%d.%m.%Y} ({row.set_by}, основание: {row.basis})" if row else ""
    return DueAlreadySet(
        f"срок по обязательству {ob_id} уже установлен{when}; чтобы изменить его, "
        f"запросите перенос: roadmap extend request --obligation {ob_id}"
    )


def set_due(
    *,
    session: Session,
    program: Program,
    pending: PendingObligation,
    due: dt.date,
    basis: str,
    by: str,
    channel: str,
    at: dt.datetime,
) -> ObligationRecord:
    """Set the due date of ``pending`` and store it as an open obligation.

    Args:
        basis: the event the term counts from and its date, in the person's words.

    Raises:
        ValueError: no basis, or ``due`` before the obligation opens.
        DateOutOfRange: ``due`` outside the program's window of dates.
        DueAlreadySet: the date is set already (by someone else, perhaps just now).
        NotSynced: the program is not in the database yet.
    """
    basis = " ".join(basis.split())
    if not basis:
        raise ValueError(
            "укажите основание срока: событие, от которого он отсчитывается, и его дату"
        )
    check_in_window(due, program.span_period, "срок")
    ob = pending.with_due(due)
    record = session.get(ProgramRecord, program.id)
    if record is None:
        raise NotSynced(f"программа {program.id} ещё не загружена в базу: выполните roadmap sync")
    setting = DueSettingRecord(
        obligation_id=ob.id,
        program_id=program.id,
        due=due,
        basis=basis,
        set_by=by,
        channel=channel,
        set_at=at,
    )
    _store_setting(session, setting)
    trail = AuditTrail(session=session, at=at, actor=by, channel=channel, program_id=program.id)
    _store_dated_obligation(session, program, ob, record.version, trail)
    trail.record("due_set", entity="obligation", entity_id=ob.id, field="due", new=due)
    stored = session.get(ObligationRecord, ob.id)
    assert stored is not None
    session.refresh(stored)
    return stored
