"""The Russian production calendar: which days are working days, and counting them.

Every deadline of a program is computed here and nowhere else, so that a new government
decree on transferred days off is one change: upgrade `holidays`, or list the decree's
days in ``EXTRA_DAYS_OFF`` / ``EXTRA_WORKING_DAYS`` below until a release carries it.

Sources:
- Labour Code of the Russian Federation, art. 112 (public holidays) — encoded by the
  `holidays` package for country "RU", including the government decrees that move days
  off (e.g. Decree No. 1335 of 04.10.2024 for 2025: Saturday 2025-11-01 is a working day,
  2025-12-31 is a day off).
- Civil Code of the Russian Federation, art. 193: a deadline that falls on a non-working
  day moves to the next working day (``roll_forward``).

All functions work on plain ``datetime.date`` values that are dates in the program's
time zone (``timezone`` in program.yaml); no function reads the clock.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache

import holidays

# Decrees newer than the installed `holidays` release go here, each with its source.
EXTRA_DAYS_OFF: frozenset[dt.date] = frozenset()
EXTRA_WORKING_DAYS: frozenset[dt.date] = frozenset()

_FIRST_YEAR = 2020
_LAST_YEAR = 2035


class WorkCalendar:
    """Working days of one country (Russia by default), with memoised look-ups.

    A working day is a day that is neither a weekend day nor a public holiday nor a
    transferred day off, or a weekend day that a decree made a working day.
    """

    def __init__(
        self,
        country: str = "RU",
        *,
        extra_days_off: Iterable[dt.date] = EXTRA_DAYS_OFF,
        extra_working_days: Iterable[dt.date] = EXTRA_WORKING_DAYS,
    ) -> None:
        self.country = country
        self._holidays = holidays.country_holidays(
            country, years=range(_FIRST_YEAR, _LAST_YEAR + 1)
        )
        self._extra_off = frozenset(extra_days_off)
        self._extra_work = frozenset(extra_working_days)
        # The library's own is_working_day is slow per call; its data is two sets.
        self._off = frozenset(self._holidays.keys())
        self._weekend_work = frozenset(getattr(self._holidays, "weekend_workdays", ()))
        self._weekend = frozenset(getattr(self._holidays, "weekend", (5, 6)))
        self._cache: dict[dt.date, bool] = {}
        self._first = dt.date(_FIRST_YEAR, 1, 1)
        self._last = dt.date(_LAST_YEAR, 12, 31)
        # _count[i]: working days in [first, first + i]; makes counting O(1) inside the range.
        self._count: list[int] = []
        total = 0
        for d in _days(self._first, self._last):
            total += self.is_working_day(d)
            self._count.append(total)

    def is_working_day(self, day: dt.date) -> bool:
        """True if ``day`` is a working day on this calendar."""
        cached = self._cache.get(day)
        if cached is not None:
            return cached
        if day in self._extra_work:
            result = True
        elif day in self._extra_off:
            result = False
        elif day in self._weekend_work:
            result = True
        else:
            result = day.weekday() not in self._weekend and day not in self._off
        self._cache[day] = result
        return result

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday's name as `holidays` gives it, or None."""
        return self._holidays.get(day)

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next working day (Civil Code art. 193)."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def roll_back(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the previous working day."""
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (n > 0) or before it (n < 0).

        ``day`` itself is day 0 and is not counted, whether or not it is a working day:
        ``add_working_days(friday, 1)`` is the next Monday when that is a working day.
        ``n == 0`` returns ``day`` unchanged.
        """
        if n and self._first <= day <= self._last:
            i = (day - self._first).days
            # working days up to and including ``day``; the n-th one after it is the first
            # index whose running count reaches count + n (n < 0: the last one at count + n + 1)
            target = (
                self._count[i] + n if n > 0 else self._count[i] - (self.is_working_day(day)) + n + 1
            )
            if 1 <= target <= self._count[-1]:
                j = bisect_left(self._count, target)
                return self._first + dt.timedelta(days=j)
        step = 1 if n > 0 else -1
        remaining = abs(n)
        while remaining:
            if day in (dt.date.min, dt.date.max):
                # a date no person meant (a bad row): the calendar's end, never an overflow
                return day
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day counted from the day after ``day`` (n >= 1).

        «не позднее 20 рабочего дня, следующего за отчетным полугодием»: with ``day`` the
        half-year's last day, ``n=20`` gives the deadline.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        return self.add_working_days(day, n)

    def last_working_day_of_month(self, year: int, month: int) -> dt.date:
        """The last working day of a calendar month."""
        return self.roll_back(_month_end(year, month))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open interval (start, end]; negative if end < start.

        ``working_days_between(due, today)`` is how many working days ``today`` is past
        ``due``: 0 on the due date itself, 1 on the next working day.
        """
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        if self._first <= start and end <= self._last:
            return self._count[(end - self._first).days] - self._count[(start - self._first).days]
        # Outside the table only weekends are days off (no holidays are known there): count
        # those parts by arithmetic, so a date a thousand years out costs no more than one
        # next month (and 31.12.9999 never overflows).
        before_first = self._first - dt.timedelta(days=1)
        total = 0
        if start < before_first:
            total += self._weekdays_between(start, min(end, before_first))
        lo, hi = max(start, before_first), min(end, self._last)
        if lo < hi:
            below = self._count[(lo - self._first).days] if lo >= self._first else 0
            total += self._count[(hi - self._first).days] - below
        if end > self._last:
            total += self._weekdays_between(max(start, self._last), end)
        return total

    def _weekdays_between(self, start: dt.date, end: dt.date) -> int:
        """Days in (start, end] that are not weekend days (start <= end)."""
        days = end.toordinal() - start.toordinal()
        weeks, rest = divmod(days, 7)
        total = weeks * (7 - len(self._weekend))
        first = start.toordinal() + 1
        # date.fromordinal(o).weekday() == (o + 6) % 7
        return total + sum((o + 6) % 7 not in self._weekend for o in range(first, first + rest))

    def working_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Working days in the closed interval [start, end], in order."""
        return (d for d in _days(start, end) if self.is_working_day(d))


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


@lru_cache(maxsize=8)
def get_calendar(country: str = "RU") -> WorkCalendar:
    """A shared calendar per country (building one costs a few milliseconds)."""
    return WorkCalendar(country)
