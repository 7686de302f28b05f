"""Obligations in storage: finding them, and the few functions that change their state.

Every state change goes through ``change_state`` (and so
``roadmap.obligations.states.transition``) and writes an audit row; nothing else in the
project assigns ``ObligationRecord.state`` (the daily sweep's bulk update in
``mark_overdue`` applies the same transition to many rows).

Every transition first takes the obligation row's lock (``lock_obligation``: ``SELECT … FOR
UPDATE`` on PostgreSQL; on SQLite every transaction is ``BEGIN IMMEDIATE``, see ``db.py``)
and checks the state it read under that lock, so two people acting at once are applied one
after the other and an audit row's old value is the state the change really replaced.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from roadmap.dates.date_window import check_in_window
from roadmap.dates.periods import Period, parse_period
from roadmap.obligations.states import OWED, Event, State, transition
from storage.audit import AuditTrail
from storage.errors import NotFound
from storage.tables import ExtensionRecord, ObligationRecord, ProgramRecord


def resolve_obligation(*, session: Session, obligation_id: str) -> ObligationRecord:
    """The obligation with this id; the program prefix may be left out when it is unambiguous.

    «6.1:2025-03» finds «<program id>:6.1:2025-03» when one program has it.

    Raises:
        NotFound: no such obligation, or the short id matches several programs.
    """
    row = session.get(ObligationRecord, obligation_id)
    if row is not None:
        return row
    matches = list(
        session.exec(
            select(ObligationRecord).where(col(ObligationRecord.id).endswith(":" + obligation_id))
        )
    )
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise NotFound(
            f"обязательство «{obligation_id}» есть в нескольких программах: укажите полный id"
        )
    raise NotFound(f"обязательство «{obligation_id}» не найдено")


def lock_obligation(*, session: Session, obligation_id: str) -> ObligationRecord:
    """The obligation, read afresh under its row lock, held until the transaction ends.

    Raises:
        NotFound: as ``resolve_obligation``.
    """
    row = resolve_obligation(session=session, obligation_id=obligation_id)
    # what this transaction already changed is written first: refresh would discard it
    session.flush()
    # SQLAlchemy leaves FOR UPDATE out on SQLite, whose BEGIN IMMEDIATE already holds the
    # database's write lock for the whole transaction.
    session.refresh(row, with_for_update=True)
    return row


def program_span(*, session: Session, program_id: str) -> Period:
    """The program's span, from which the window of dates a person may give is reckoned."""
    program = session.get(ProgramRecord, program_id)
    if program is None:
        raise NotFound(f"программа «{program_id}» не загружена")
    return parse_period(program.span)


def program_zone(*, session: Session, program_id: str) -> ZoneInfo:
    program = session.get(ProgramRecord, program_id)
    if program is None:
        raise NotFound(f"программа «{program_id}» не загружена")
    return ZoneInfo(program.timezone)


def local_date(*, session: Session, program_id: str, at: dt.datetime) -> dt.date:
    """The calendar date of ``at`` in the program's time zone."""
    return at.astimezone(program_zone(session=session, program_id=program_id)).date()


def change_state(
    *,
    session: Session,
    row: ObligationRecord,
    event: Event,
    actor: str,
    channel: str,
    at: dt.datetime,
) -> State:
    """Apply ``event`` to ``row`` and audit it.

    Raises:
        InvalidTransition: the event is not allowed in the current state.
    """
    old = row.state
    row.state = transition(old, event)
    row.updated_at = at
    session.add(row)
    trail = AuditTrail(
        session=session, at=at, actor=actor, channel=channel, program_id=row.program_id
    )
    trail.record(
        event.value, entity="obligation", entity_id=row.id, field="state", old=old, new=row.state
    )
    return State(row.state)


def declare_not_applicable(
    *,
    session: Session,
    obligation_id: str,
    reason: str,
    by: str,
    channel: str,
    at: dt.datetime,
) -> ObligationRecord:
    """Declare that an obligation does not apply, with the reason; the ladder stops for it.

    Raises:
        ValueError: the reason is empty.
        NotFound, InvalidTransition: as their names say.
    """
    if not reason or not reason.strip():
        raise ValueError("укажите причину, по которой обязательство неприменимо")
    row = lock_obligation(session=session, obligation_id=obligation_id)
    change_state(session=session, row=row, event=Event.DECLARE_NA, actor=by, channel=channel, at=at)
    row.na_reason = reason.strip()
    row.na_on = local_date(session=session, program_id=row.program_id, at=at)
    trail = AuditTrail(session=session, at=at, actor=by, channel=channel, program_id=row.program_id)
    trail.record(
        "na_reason", entity="obligation", entity_id=row.id, field="na_reason", new=row.na_reason
    )
    return row


def mark_overdue(*, session: Session, program_id: str, as_of: dt.date, at: dt.datetime) -> int:
    """Mark every open obligation whose due date has passed as overdue; returns how many.

    The rows are locked as they are selected (in id order, so two sweeps never deadlock);
    PostgreSQL re-reads a row changed by a transaction it waited for and leaves it out when
    it is no longer open, so each audit row's «open» is what the sweep replaced.
    """
    stmt = (
        select(ObligationRecord.id)
        .where(
            ObligationRecord.program_id == program_id,
            ObligationRecord.state == State.OPEN,
            col(ObligationRecord.cancelled_in_version).is_(None),
            ObligationRecord.due < as_of,
        )
        .order_by(col(ObligationRecord.id))
        .with_for_update()
    )
    ids = list(session.exec(stmt))
    if not ids:
        return 0
    target = transition(State.OPEN, Event.MARK_OVERDUE)
    session.execute(
        update(ObligationRecord)
        .where(col(ObligationRecord.id).in_(ids), col(ObligationRecord.state) == State.OPEN)
        .values(state=target, updated_at=at)
    )
    trail = AuditTrail(
        session=session, at=at, actor="sweep", channel="sweep", program_id=program_id
    )
    for ob_id in ids:
        trail.record(
            Event.MARK_OVERDUE.value,
            entity="obligation",
            entity_id=ob_id,
            field="state",
            old=State.OPEN,
            new=target,
        )
    return len(ids)


def request_extension(
    *,
    session: Session,
    obligation_id: str,
    until: dt.date,
    reason: str,
    by: str,
    channel: str,
    at: dt.datetime,
) -> ExtensionRecord:
    """Ask to move an obligation's due date.

    Raises:
        ValueError: no reason, or the new date is not after the current one.
        DateOutOfRange: the new date is outside the program's window (``date_window``).
        NotFound: no such obligation.
    """
    row = lock_obligation(session=session, obligation_id=obligation_id)
    if not reason or not reason.strip():
        raise ValueError("укажите причину переноса срока")
    check_in_window(until, program_span(session=session, program_id=row.program_id), "новый срок")
    if until <= row.due:
        raise ValueError(
            f"новый срок {until:%d.%m.%Y} должен быть позже текущего {row.due:%d.%m.%Y}"
        )
    if row.state not in OWED:
        raise ValueError("перенос не нужен: по обязательству уже представлены документы")
    ext = ExtensionRecord(
        obligation_id=row.id,
        previous_due=row.due,
        requested_due=until,
        reason=reason.strip(),
        requested_by=by,
        requested_at=at,
    )
    session.add(ext)
    session.flush()
    trail = AuditTrail(session=session, at=at, actor=by, channel=channel, program_id=row.program_id)
    trail.record(
        "extension_requested",
        entity="extension",
        entity_id=str(ext.id),
        field="requested_due",
        old=row.due,
        new=until,
    )
    return ext


def decide_extension(
    *,
    session: Session,
    extension_id: int,
    approve: bool,
    by: str,
    comment: str | None,
    channel: str,
    at: dt.datetime,
) -> ExtensionRecord:
    """Approve (the due date moves, the ladder starts over for it) or refuse a request.

    Raises:
        NotFound: no such request. ValueError: already decided, or refused without a comment.
    """
    ext = session.get(ExtensionRecord, extension_id)
    if ext is None:
        raise NotFound(f"запрос на перенос срока №{extension_id} не найден")
    # every decision on an obligation's extensions holds the obligation's lock first, then
    # reads the request afresh: of two decisions at once, the second sees the first's
    row = lock_obligation(session=session, obligation_id=ext.obligation_id)
    session.refresh(ext, with_for_update=True)
    if ext.state != "requested":
        raise ValueError(f"запрос №{extension_id} уже рассмотрен ({ext.state})")
    if not approve and not (comment or "").strip():
        raise ValueError("укажите причину отказа в переносе срока")
    if approve:  # a request stored before dates were bounded is refused, not applied
        span = program_span(session=session, program_id=row.program_id)
        check_in_window(ext.requested_due, span, "новый срок")
    ext.state = "approved" if approve else "refused"
    ext.decided_by, ext.decided_at, ext.decision_comment = by, at, comment
    trail = AuditTrail(session=session, at=at, actor=by, channel=channel, program_id=row.program_id)
    trail.record(
        f"extension_{ext.state}",
        entity="extension",
        entity_id=str(ext.id),
        field="state",
        old="requested",
        new=ext.state,
    )
    if approve:
        trail.record(
            "due_changed",
            entity="obligation",
            entity_id=row.id,
            field="due",
            old=row.due,
            new=ext.requested_due,
        )
        row.due = ext.requested_due
        today = local_date(session=session, program_id=row.program_id, at=at)
        row.ladder_cycle += 1
        row.ladder_since = row.ladder_next_on = today
        row.ladder_anchor = None
        if row.state == State.OVERDUE and row.due >= today:
            change_state(
                session=session, row=row, event=Event.EXTEND, actor=by, channel=channel, at=at
            )
        row.updated_at = at
    return ext


def list_extensions(*, session: Session, obligation_id: str | None = None) -> list[ExtensionRecord]:
    stmt = select(ExtensionRecord).order_by(col(ExtensionRecord.id))
    if obligation_id:
        stmt = stmt.where(ExtensionRecord.obligation_id == obligation_id)
    return list(session.exec(stmt))


def ladder_candidates(
    *, session: Session, program_id: str, as_of: dt.date, obligation_ids: list[str] | None = None
) -> list[ObligationRecord]:
    """Obligations still owed whose next unplanned ladder day has come (index-backed)."""
    stmt = select(ObligationRecord).where(
        ObligationRecord.program_id == program_id,
        col(ObligationRecord.cancelled_in_version).is_(None),
        col(ObligationRecord.state).in_([s.value for s in OWED]),
        col(ObligationRecord.ladder_next_on) <= as_of,
    )
    if obligation_ids is not None:
        stmt = stmt.where(col(ObligationRecord.id).in_(obligation_ids))
    return list(session.exec(stmt.order_by(col(ObligationRecord.due), col(ObligationRecord.id))))


def set_ladder_next(*, session: Session, next_on: dict[str, dt.date | None]) -> None:
    """Record, per obligation, the first day whose ladder steps are still to be planned."""
    if next_on:
        session.execute(
            update(ObligationRecord),
            # in id order, as every other statement locking several rows takes them
            [{"id": k, "ladder_next_on": v} for k, v in sorted(next_on.items())],
        )


def program_obligations(*, session: Session, program_id: str) -> list[ObligationRecord]:
    """Every obligation of a program, cancelled ones included, by id."""
    stmt = select(ObligationRecord).where(ObligationRecord.program_id == program_id)
    return list(session.exec(stmt.order_by(col(ObligationRecord.id))))


def activity_obligations(
    *, session: Session, program_id: str, activity: str
) -> list[ObligationRecord]:
    """The live obligations of one activity, by due date."""
    stmt = select(ObligationRecord).where(
        ObligationRecord.program_id == program_id,
        ObligationRecord.activity == activity,
        col(ObligationRecord.cancelled_in_version).is_(None),
    )
    return list(session.exec(stmt.order_by(col(ObligationRecord.due))))


def report_obligations(*, session: Session, program_id: str, period: str) -> list[ObligationRecord]:
    """The executors' and the consolidated report obligations of one period."""
    stmt = select(ObligationRecord).where(
        ObligationRecord.program_id == program_id,
        ObligationRecord.kind == "report",
        ObligationRecord.period == period,
        col(ObligationRecord.cancelled_in_version).is_(None),
    )
    return list(session.exec(stmt.order_by(col(ObligationRecord.id))))
