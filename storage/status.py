"""Status as of a date, read from storage (the rules are ``roadmap.status``)."""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Text, cast, or_, type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from roadmap.status import ObligationFacts, Rates, StatusEntry, classify, rates_from_counts
from roadmap.workdays import WorkCalendar
from storage.errors import NotSynced
from storage.tables import ObligationOwnerRecord, ObligationRecord, ProgramRecord


@dataclass(slots=True)  # not frozen: see ObligationFacts
class StatusItem:
    """One obligation as of the date: its facts, its standing, and what to show."""

    facts: ObligationFacts
    entry: StatusEntry
    activity: str | None
    kind: str
    report_kind: str | None
    period: str
    state: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.facts.id,
            "activity": self.activity,
            "kind": self.kind,
            "report_kind": self.report_kind,
            "period": self.period,
            "opens": self.facts.opens.isoformat(),
            "due": self.facts.due.isoformat(),
            "owners": list(self.facts.owners),
            "state": self.state,
            "status": self.entry.status,
            "overdue_working_days": self.entry.overdue_working_days,
            "fulfilled_on": self.facts.fulfilled_on.isoformat()
            if self.facts.fulfilled_on
            else None,
        }


@dataclass(frozen=True)
class StatusReport:
    program: str
    as_of: dt.date
    items: list[StatusItem]
    rates: list[Rates]


_COLUMNS = (
    ObligationRecord.id,
    ObligationRecord.opens,
    ObligationRecord.due,
    ObligationRecord.owners,
    ObligationRecord.state,
    ObligationRecord.fulfilled_on,
    ObligationRecord.na_on,
    ObligationRecord.activity,
    ObligationRecord.kind,
    ObligationRecord.report_kind,
    ObligationRecord.period,
)


def _date(raw: object) -> dt.date | None:
    """A date as the driver returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if raw is None or isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw)[:10])


def _rows(session: Session, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    """The statement's rows straight from the driver: SQLAlchemy's Row objects cost a third
    of the status of 100,000 obligations."""
    session.flush()  # what the ORM holds must be seen, as session.execute would autoflush
    conn = session.connection()
    compiled = stmt.compile(conn)
    params = compiled.construct_params()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if compiled.positiontup is not None:  # qmark/format style (SQLite)
            cursor.execute(str(compiled), [params[k] for k in compiled.positiontup])
        else:  # pyformat style (psycopg)
            cursor.execute(str(compiled), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def the_program_id(*, session: Session, program_id: str | None = None) -> str:
    """``program_id``, or the only program in storage.

    Raises:
        NotSynced: storage holds no program (or several and none was named).
    """
    ids = list(session.exec(select(ProgramRecord.id)))
    if program_id:
        if program_id not in ids:
            raise NotSynced(f"программа «{program_id}» не загружена: выполните roadmap sync")
        return program_id
    if not ids:
        raise NotSynced("в базе нет программы: выполните roadmap sync")
    if len(ids) > 1:
        raise NotSynced(
            f"в базе несколько программ ({', '.join(sorted(ids))}): укажите --program-id"
        )
    return ids[0]


def status_as_of(
    *,
    session: Session,
    program_id: str,
    as_of: dt.date,
    calendar: WorkCalendar,
    org: str | None = None,
) -> StatusReport:
    """Every live obligation's standing on ``as_of`` and each owner's reporting rates.

    Args:
        org: only obligations this organization owes, directly or as the body that reports
            for a group or subordinate institution.
    """
    # The driver's own values (NullType has no result processor): 100,000 rows share a few
    # hundred dates and owner lists, so each distinct one is parsed and classified once
    # (owners as text: psycopg would parse every row's JSON).
    stmt = select(
        *(
            type_coerce(cast(c, Text) if c is ObligationRecord.owners else c, NullType())
            for c in _COLUMNS
        )
    ).where(
        ObligationRecord.program_id == program_id,
        col(ObligationRecord.cancelled_in_version).is_(None),
    )
    if org:
        owned_ids = select(ObligationOwnerRecord.obligation_id).where(
            or_(
                col(ObligationOwnerRecord.org_id) == org,
                col(ObligationOwnerRecord.reporting_body) == org,
            )
        )
        stmt = stmt.where(col(ObligationRecord.id).in_(owned_ids))
    stmt = stmt.order_by(col(ObligationRecord.due), col(ObligationRecord.id))
    known: dict[tuple[object, ...], tuple[tuple[dt.date | None, ...], StatusEntry]] = {}
    owner_lists: dict[str, tuple[str, ...]] = {}
    counted: Counter[tuple[str, tuple[object, ...]]] = Counter()
    items: list[StatusItem] = []
    # rows and two objects per obligation, no cycles among them: the cyclic collector would
    # scan the growing lists again and again (40 % of the time at 100,000 obligations)
    paused = gc.isenabled()
    gc.disable()
    try:
        rows = _rows(session, stmt)
        for id_, opens, due, owners, state, fulfilled_on, na_on, activity, kind, rk, period in rows:
            key = (opens, due, state, fulfilled_on, na_on)
            seen = known.get(key)
            owned = owner_lists.get(owners)
            if owned is None:
                owned = owner_lists[owners] = tuple(json.loads(owners))
            if seen is None:
                dates = (_date(opens), _date(due), _date(fulfilled_on), _date(na_on))
                facts = ObligationFacts(id_, dates[0], dates[1], owned, state, dates[2], dates[3])  # type: ignore[arg-type]
                seen = known[key] = (dates, classify(facts, as_of, calendar))
            else:
                d = seen[0]
                facts = ObligationFacts(id_, d[0], d[1], owned, state, d[2], d[3])  # type: ignore[arg-type]
            counted[owners, key] += 1
            items.append(StatusItem(facts, seen[1], activity, kind, rk, period, state))
    finally:
        if paused:
            gc.enable()
    rates = rates_from_counts(
        (owner_lists[owners], known[key][1], n) for (owners, key), n in counted.items()
    )
    if org:
        rates = [r for r in rates if r.org == org] or rates
    return StatusReport(program_id, as_of, items, rates)
