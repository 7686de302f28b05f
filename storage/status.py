"""Status as of a date, read from storage (the rules are ``roadmap.obligations.status``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from roadmap.dates.periods import Period
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.history import Standing
from roadmap.obligations.status import (
    Basis,
    ObligationFacts,
    Rates,
    StatusEntry,
    classify,
    rates_on,
    status_word,
)
from storage.as_of import as_of_day, standings, stored_standing
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

    @property
    def word(self) -> str:
        """The standing in words (a document on review is not «выполнено»)."""
        return status_word(self.entry.status, self.state)

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
    basis: Basis | None = None  # what ``rates`` count


# columns, not rows: the status reads thirteen fields of every obligation and nothing else
_COLUMNS: tuple[Any, ...] = (
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
    ObligationRecord.cancelled_in_version,
    ObligationRecord.updated_at,
)


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
    period: Period | None = None,
    bodies: Mapping[str, str] | None = None,
) -> StatusReport:
    """Every live obligation's standing on ``as_of`` and each owner's reporting rates.

    Reads what was recorded by the end of ``as_of`` (``storage.as_of``): an obligation
    fulfilled, declared not applicable, extended, cancelled or given other executors later
    stands as it did then.

    Args:
        org: only obligations this organization owed on ``as_of``, directly or as the body
            that reports for a group or subordinate institution.
        period: the rates count the obligations of this period (``Basis``), else all
            since the program's start.
        bodies: the body that reports for each organisation, in the version of the program
            in force on ``as_of`` (``Program.reporting_bodies``); None: as the owner rows
            stored today name them.
    """
    stmt = sa_select(*_COLUMNS).where(col(ObligationRecord.program_id) == program_id)
    rows = list(session.execute(stmt))
    day = as_of_day(session=session, program_id=program_id, day=as_of)
    then = standings(
        session=session,
        as_of=day,
        changed={r.id: stored_standing(r) for r in rows if day.changed_since(r.updated_at)},
    )
    items = _items(rows, then, as_of, calendar)
    if org:
        bodies = _stored_bodies(session, program_id) if bodies is None else bodies
        items = _owed_by(items, org, bodies)
    basis = Basis(as_of, period)
    rates = rates_on(items, basis)
    if org:
        rates = [r for r in rates if r.org == org] or rates
    return StatusReport(program_id, as_of, items, rates, basis)


def _items(
    rows: list[Any], then: dict[str, Standing | None], as_of: dt.date, calendar: WorkCalendar
) -> list[StatusItem]:
    """Each obligation's standing as of the date: as stored, or as ``then`` says it stood
    for one changed since; one cancelled by then is left out."""
    items: list[StatusItem] = []
    for row in rows:
        id_, opens, due, owners, state, fulfilled_on, na_on, activity, kind, rk, label = row[:11]
        if id_ in then:
            st = then[id_]
            if st is None or st.cancelled:
                continue
            state, opens, due, fulfilled_on, na_on, owners = (
                st.state,
                st.opens,
                st.due,
                st.fulfilled_on,
                st.na_on,
                st.owners,
            )
        elif row.cancelled_in_version is not None:
            continue
        facts = ObligationFacts(id_, opens, due, tuple(owners), state, fulfilled_on, na_on)
        entry = classify(facts, as_of, calendar)
        items.append(StatusItem(facts, entry, activity, kind, rk, label, state))
    items.sort(key=lambda i: (i.facts.due, i.facts.id))
    return items


def _owed_by(items: list[StatusItem], org: str, bodies: Mapping[str, str]) -> list[StatusItem]:
    """The items ``org`` owed: one of their owners then, or the body that reports for one."""
    return [i for i in items if any(o == org or bodies.get(o) == org for o in i.facts.owners)]


def _stored_bodies(session: Session, program_id: str) -> dict[str, str]:
    """The body that reports for each owner of the program's obligations, as stored today."""
    stmt = (
        sa_select(col(ObligationOwnerRecord.org_id), col(ObligationOwnerRecord.reporting_body))
        .join(ObligationRecord, col(ObligationRecord.id) == ObligationOwnerRecord.obligation_id)
        .where(col(ObligationRecord.program_id) == program_id)
        .distinct()
    )
    return dict(session.execute(stmt).tuples().all())
