"""Status as of a date: what is upcoming, open, due soon, overdue or done, and reporting rates.

Time travel works because the status is computed, not stored: an obligation fulfilled on
15 July is still open as of 10 July. Rates follow DHIS2's definitions:
completeness = fulfilled / due, timeliness = fulfilled on or before the due date / due,
where *due* counts the obligations whose due date is on or before the as-of date
(obligations declared not applicable or cancelled are not counted).

Every count of obligations (received, late, overdue, completeness, timeliness) is made over
a ``Basis``: the executors' obligations due by a date, of a report's period or since the
program's start; every table that shows one names its basis (``basis_ru``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from roadmap.dates.periods import Period, parse_period
from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.states import FULFILLED, State
from roadmap.words.labels import STATUS_RU as STATUS_RU  # the words live in labels.py
from roadmap.words.wording import basis_ru

Status = Literal["upcoming", "open", "due_soon", "overdue", "done", "not_applicable"]
DUE_SOON_WORKING_DAYS = 10


@dataclass(slots=True)  # not frozen: built 100,000 times per status, where that costs 3×
class ObligationFacts:
    """What status needs to know of an obligation (storage maps its rows to this)."""

    id: str
    opens: dt.date
    due: dt.date
    owners: tuple[str, ...]
    state: str
    fulfilled_on: dt.date | None = None
    na_on: dt.date | None = None


@dataclass(frozen=True)
class StatusEntry:
    """An obligation's standing as of a date."""

    status: Status
    overdue_working_days: int
    fulfilled: bool
    on_time: bool | None
    due_passed: bool

    @property
    def counts_as_due(self) -> bool:
        """Whether the rates count it: due on or before the as-of date, and applicable."""
        return self.due_passed and self.status != "not_applicable"


def classify(facts: ObligationFacts, as_of: dt.date, cal: WorkCalendar) -> StatusEntry:
    """The standing of one obligation on ``as_of`` (a date in the program's time zone)."""
    due_passed = facts.due <= as_of
    if facts.state == State.NOT_APPLICABLE and facts.na_on and facts.na_on <= as_of:
        return StatusEntry("not_applicable", 0, False, None, due_passed)
    fulfilled = (
        facts.state in FULFILLED and facts.fulfilled_on is not None and facts.fulfilled_on <= as_of
    )
    if fulfilled:
        assert facts.fulfilled_on is not None
        return StatusEntry("done", 0, True, facts.fulfilled_on <= facts.due, due_passed)
    if as_of < facts.opens:
        return StatusEntry("upcoming", 0, False, None, due_passed)
    if as_of > facts.due:
        late = cal.working_days_between(facts.due, as_of)
        return StatusEntry("overdue", late, False, False, due_passed)
    if cal.working_days_between(as_of, facts.due) <= DUE_SOON_WORKING_DAYS:
        return StatusEntry("due_soon", 0, False, None, due_passed)
    return StatusEntry("open", 0, False, None, due_passed)


def status_word(status: str, state: str) -> str:
    """The standing in words, as a person reads it: a document received and not yet
    reviewed is «получено, на проверке», never «выполнено»."""
    if status == "done" and state == State.SUBMITTED:
        return ON_REVIEW_RU
    return STATUS_RU[status]


ON_REVIEW_RU = "получено, на проверке"


@dataclass(frozen=True)
class Rates:
    """An executor's reporting as of a date."""

    org: str
    due: int
    fulfilled: int
    on_time: int
    overdue: int

    @property
    def late(self) -> int:
        """Received after the due date (a document not received is not late-received)."""
        return self.fulfilled - self.on_time

    @property
    def not_done(self) -> int:
        """Due and not received (overdue, or received nothing that stands)."""
        return self.due - self.fulfilled

    @property
    def completeness(self) -> float | None:
        return self.fulfilled / self.due if self.due else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def to_json(self) -> dict[str, object]:
        return {
            "org": self.org,
            "due": self.due,
            "fulfilled": self.fulfilled,
            "on_time": self.on_time,
            "overdue": self.overdue,
            "late": self.late,
            "not_done": self.not_done,
            "completeness": _round(self.completeness),
            "timeliness": _round(self.timeliness),
        }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def rates_by_org(entries: Iterable[tuple[ObligationFacts, StatusEntry]]) -> list[Rates]:
    """Completeness and timeliness per owner organization, over obligations due by the as-of date.

    An obligation with several owners counts for each of them: each answers for it.
    """
    counted: Counter[tuple[tuple[str, ...], StatusEntry]] = Counter()
    for facts, entry in entries:
        counted[facts.owners, entry] += 1
    return rates_from_counts((owners, entry, n) for (owners, entry), n in counted.items())


def rates_from_counts(groups: Iterable[tuple[tuple[str, ...], StatusEntry, int]]) -> list[Rates]:
    """``rates_by_org`` over groups of ``n`` obligations with the same owners and standing."""
    acc: dict[str, list[int]] = {}
    for owners, entry, n in groups:
        if not entry.counts_as_due:
            continue
        for org in owners:
            row = acc.setdefault(org, [0, 0, 0, 0])
            row[0] += n
            row[1] += n * entry.fulfilled
            row[2] += n * bool(entry.on_time)
            row[3] += n * (entry.status == "overdue")
    return [Rates(org, *v) for org, v in sorted(acc.items())]


@dataclass(frozen=True)
class Basis:
    """What the counts of obligations count: the executors' obligations, due on or before
    ``as_of``, of ``period`` when given, else since the program's start.

    Of a period: the activities' obligations whose period overlaps it, and the executors'
    reports for a period inside it (the half-year's are due after it). The consolidated
    reports are never an executor's obligation: they are the report itself.
    """

    as_of: dt.date
    period: Period | None = None

    @property
    def text(self) -> str:
        """The basis as a caption reads it (``basis_ru``)."""
        return basis_ru(self.period, self.as_of)

    def covers(self, *, kind: str, report_kind: str | None, period: str) -> bool:
        """Whether an obligation of this ``kind`` and ``period`` label is counted."""
        if report_kind == "consolidated":
            return False
        if self.period is None:
            return True
        own = parse_period(period)
        if kind == "report":
            return self.period.first <= own.first and own.last <= self.period.last
        return own.overlaps(self.period)


class Counted(Protocol):
    """An obligation's standing as storage and the report hold it."""

    facts: ObligationFacts
    entry: StatusEntry
    kind: str
    report_kind: str | None
    period: str


def rates_on(items: Iterable[Counted], basis: Basis) -> list[Rates]:
    """Each owner's rates over the obligations ``basis`` counts: the one definition of
    received, late, overdue, completeness and timeliness that every table shows."""
    return rates_by_org(
        (i.facts, i.entry)
        for i in items
        if basis.covers(kind=i.kind, report_kind=i.report_kind, period=i.period)
    )


def scored(rates: Iterable[Rates], groups: Collection[str]) -> list[Rates]:
    """The executors scored, as every table of rates lists them: a group of institutions or
    of municipal bodies (``groups``) is not scored; it owes through its reporting body."""
    return [r for r in rates if r.org not in groups]
