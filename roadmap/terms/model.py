"""What a term says once read: its periods, recurrences, stated deadlines and notes.

These are the values ``parse_term`` (``terms.py``) returns; they carry no program, no
calendar and no convention. ``term_dates.py`` turns them into dates on a program's span,
its conventions and its working-day calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from roadmap.dates.periods import Period

Every = Literal["month", "quarter", "half", "year"]


@dataclass(frozen=True)
class OnDate:
    """A deadline on a calendar date the term writes out: «до 15 октября 2025 года».

    ``until`` is True when the words are «до …»: the program's ``until`` convention says
    whether that means the date itself or the day before.
    """

    day: dt.date
    until: bool = False


@dataclass(frozen=True)
class InYear:
    """A day and month in the period's year, or in the year after it.

    «до 20 сентября» (``years_after`` 0); «до 1 апреля года, следующего за отчетным»
    (``years_after`` 1). The period's year is the year of its last month.
    """

    month: int
    day: int
    years_after: int = 0
    until: bool = False


@dataclass(frozen=True)
class AfterPeriod:
    """A day of the month that follows the period.

    «до 10-го числа месяца, следующего за отчетным» (``working`` False: the 10th calendar
    day); «не позднее 5-го рабочего дня месяца, следующего за отчетным» (``working`` True:
    the 5th working day). ``after`` is the period the words name («…за отчетным
    кварталом»), None when they say only «за отчетным».
    """

    day: int
    working: bool
    after: Every | None = None
    until: bool = False


@dataclass(frozen=True)
class DayOfMonth:
    """A day of the period's own (last) month: «ноябрь 2025 (до 15 числа)», «ежемесячно до 20
    числа текущего месяца». A day the month lacks is its last day (Civil Code art. 192(3),
    by analogy).
    """

    day: int
    until: bool = False


@dataclass(frozen=True)
class PartOfYearAfter:
    """A quarter or half-year of the year after the period: «ежегодно, в I квартале года,
    следующего за отчетным». Due, as any period, on the last working day of its last month.
    """

    first: int
    last: int
    years_after: int = 1
    until: bool = False


Deadline = OnDate | InYear | AfterPeriod | DayOfMonth | PartOfYearAfter


@dataclass(frozen=True)
class Fixed:
    """One obligation over ``period``; ``period`` None means the whole program span.

    ``due`` is a deadline the term states («сентябрь 2025 (до 20 сентября)»); None means the
    rule's own: the last working day of the period's last month.
    """

    period: Period | None
    long: bool
    rule: int
    due: Deadline | None = None


@dataclass(frozen=True)
class Recurring:
    """One obligation per month, quarter, half-year or year within ``within``.

    ``within`` None means the program span. ``in_months`` is the part of each year a
    yearly term names, first and last month («Ежегодно (II квартал)»: (4, 6); «ежегодно
    (октябрь)»: (10, 10)); None means the whole year. ``due`` is a deadline the term
    states; None means the rule's own (the monthly convention, or the period's last
    working day).
    """

    every: Every
    within: Period | None
    in_months: tuple[int, int] | None = None
    rule: int = 4
    due: Deadline | None = None


@dataclass(frozen=True)
class ByDate:
    """One obligation due on a date the term writes out: «не позднее 20 апреля 2026 г.».

    Its period is the month in which the deadline falls, as the program reads «до».
    """

    due: OnDate
    rule: int = 7


@dataclass(frozen=True)
class EventRelative:
    """A term counted from an event the program cannot date: «в 30-дневный срок».

    Never dated by the program: a person sets the due date (``due_set_by_person``), whether
    the program marks the activity or not.
    """

    phrase: str
    rule: int = 8


@dataclass(frozen=True)
class YearPart:
    """Months of a year with no year of their own: «октябрь», «I квартал», «II полугодие».

    Never an item of a term: it narrows the period of the item before it (in brackets)
    or of the yearly term after it («IV квартал ежегодно»).
    """

    first: int
    last: int


Item = Fixed | Recurring | ByDate | EventRelative


@dataclass(frozen=True)
class Term:
    """A parsed term: what it says (``items``) and the notes it carries."""

    text: str
    items: tuple[Item, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def is_recurring(self) -> bool:
        return any(isinstance(i, Recurring) for i in self.items)
