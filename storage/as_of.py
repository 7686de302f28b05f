"""Reading as of a date: only what was recorded by the end of that day, in the program's zone.

Every read for a date (status, reports, the panel, the federal view, the forecast, the
overview) goes through here, so a report made today for a past date equals the one made on
that date: documents submitted by then, reviews decided by then (a review decided later
leaves the document «на рассмотрении»), values given by then, due dates set by then, and
each obligation's standing then (``roadmap.obligations.history``: its current row with every
change the audit recorded after that day undone), and the program's own words then
(``program_as_of``: an amendment that renamed an activity or named other executors is not
seen before the day it was synced).

The day ends at midnight in the program's time zone: ``day_end`` is that moment in UTC and
a row counts when its timestamp is before it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from roadmap.obligations.history import TRACKED, Change, Standing, standing_as_of
from roadmap.program.model import Program
from storage.errors import NotFound
from storage.obligations import program_zone
from storage.tables import AuditRecord, ObligationRecord, ProgramVersionRecord

__all__ = [
    "AsOf",
    "as_of_day",
    "day_end",
    "program_as_of",
    "recorded_before",
    "standings",
    "stored_standing",
]


def day_end(zone: ZoneInfo, as_of: dt.date) -> dt.datetime:
    """The end of ``as_of`` in ``zone`` (the next day's midnight), as a UTC moment."""
    midnight = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(0), zone)
    return midnight.astimezone(dt.UTC)


@dataclass(frozen=True)
class AsOf:
    """A date to read as of, for one program: the day (None: everything recorded so far),
    the program's zone and the moment the day ends."""

    program_id: str
    day: dt.date | None
    zone: ZoneInfo

    @functools.cached_property
    def end(self) -> dt.datetime | None:
        """Worked out once: the status asks it of every obligation."""
        return None if self.day is None else day_end(self.zone, self.day)

    def local(self, at: dt.datetime) -> dt.date:
        """The program's calendar date of a stored moment."""
        return at.astimezone(self.zone).date()

    def recorded(self, at: dt.datetime | None) -> bool:
        """Whether a moment (a review, a decision) was recorded by the end of the day."""
        end = self.end
        return at is not None and (end is None or at < end)

    def changed_since(self, updated_at: dt.datetime) -> bool:
        """Whether a row updated at ``updated_at`` may have stood otherwise on the day."""
        end = self.end
        return end is not None and updated_at >= end


def as_of_day(*, session: Session, program_id: str, day: dt.date | None) -> AsOf:
    """The program's ``day`` to read as of (its time zone from storage)."""
    return AsOf(program_id, day, program_zone(session=session, program_id=program_id))


def recorded_before(column: Any, end: dt.datetime | None) -> ColumnElement[bool]:
    """The condition «recorded before ``end``» on a timestamp column (no ``end``: always)."""
    return col(column) < end if end is not None else col(column).is_not(None)


def standings(
    *, session: Session, as_of: AsOf, changed: Mapping[str, Standing]
) -> dict[str, Standing | None]:
    """The standing at the end of ``as_of.day`` of the obligations changed since, by id.

    Args:
        changed: as stored today, the obligations whose row was updated at or after the
            day's end (``updated_at``); any other row stands today as it stood then.

    Returns:
        each one's standing then (cancelled ones marked so), or None: not recorded yet.
    """
    if not changed or as_of.day is None or as_of.end is None:
        return {}
    day = as_of.day
    history = _changes(session, as_of, as_of.end, set(changed))
    loaded_on = _loaded_on(session, as_of)
    return {
        ob_id: standing_as_of(now, history.get(ob_id, []), day, loaded_on=loaded_on)
        for ob_id, now in changed.items()
    }


def stored_standing(row: Any) -> Standing:
    """An obligation's standing as its row (or a row of its columns) stores it today."""
    return Standing(
        state=row.state,
        due=row.due,
        opens=row.opens,
        fulfilled_on=row.fulfilled_on,
        na_on=row.na_on,
        cancelled=row.cancelled_in_version is not None,
        owners=tuple(row.owners),
    )


def _changes(
    session: Session, as_of: AsOf, end: dt.datetime, ids: set[str]
) -> dict[str, list[Change]]:
    """The audit's changes to the program's obligations updated after the day, in order."""
    stmt = (
        select(AuditRecord)
        .join(ObligationRecord, col(ObligationRecord.id) == col(AuditRecord.entity_id))
        .where(
            ObligationRecord.program_id == as_of.program_id,
            col(ObligationRecord.updated_at) >= end,
            AuditRecord.entity == "obligation",
            col(AuditRecord.field).in_(TRACKED),
        )
        .order_by(col(AuditRecord.id))
    )
    out: dict[str, list[Change]] = {}
    for a in session.exec(stmt):
        if a.entity_id in ids:
            change = Change(as_of.local(a.at), a.action, a.field, a.old, a.new)
            out.setdefault(a.entity_id, []).append(change)
    return out


def _loaded_on(session: Session, as_of: AsOf) -> dt.date:
    """The day the program was first loaded (its first version's sync)."""
    first = session.exec(
        select(func.min(ProgramVersionRecord.synced_at)).where(
            ProgramVersionRecord.program_id == as_of.program_id
        )
    ).one()
    return as_of.local(first) if first is not None else dt.date.min


def program_as_of(*, session: Session, program: Program, as_of: dt.date | None) -> Program:
    """The program as the version in force at the end of ``as_of`` words it.

    That is the last version synced by the day's end; for a day before the first sync, the
    first version (the program as first loaded is the plan from its first day, as
    ``roadmap.obligations.history`` reads it). A day on which the newest version was in
    force reads ``program`` itself: nothing amended since, it is that version's data.

    Args:
        program: the program's data as it is now; it stands as well for a version synced
            before versions kept their data, and for a program not synced at all.
        as_of: None: ``program`` itself (everything recorded so far).
    """
    if as_of is None:
        return program
    try:
        day = as_of_day(session=session, program_id=program.id, day=as_of)
    except NotFound:
        return program
    in_force, newest = _versions(session, day)
    if in_force is None or in_force == newest:
        return program
    stmt = select(ProgramVersionRecord.data).where(ProgramVersionRecord.id == in_force)
    data = session.exec(stmt).one()
    return program if data is None else Program.model_validate_json(data)


def _versions(session: Session, day: AsOf) -> tuple[int | None, int | None]:
    """The ids of the version in force at the end of the day and of the newest version."""
    stmt = select(ProgramVersionRecord.id).where(ProgramVersionRecord.program_id == day.program_id)
    synced, row_id = col(ProgramVersionRecord.synced_at), col(ProgramVersionRecord.id)
    newest = session.exec(stmt.order_by(synced.desc(), row_id.desc()).limit(1)).first()
    by_then = stmt.where(recorded_before(synced, day.end)).order_by(synced.desc(), row_id.desc())
    in_force = session.exec(by_then.limit(1)).first()
    if in_force is None:  # the day ended before the first sync
        in_force = session.exec(stmt.order_by(synced, row_id).limit(1)).first()
    return in_force, newest
