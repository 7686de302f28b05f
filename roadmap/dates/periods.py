"""Periods of whole months: a month, quarter, half-year, year or a range of them, and their labels.

A period is the closed interval [start, end] of calendar dates, start the first day of a
month and end the last day of a month. Its label is the shortest of: ``2025-03`` (month),
``2025-Q2`` (quarter), ``2025-H1`` (half-year), ``2025`` (year), and for other ranges
``2025..2026`` (whole years) or ``2025-04..2025-12`` (months). Labels parse back with
``parse_period``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from roadmap.errors import InvalidPeriod


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)


@dataclass(frozen=True, order=True)
class Period:
    """A closed interval of whole months [first, last]."""

    first: Month
    last: Month

    def __post_init__(self) -> None:
        if self.last < self.first:
            first, last = self.first, self.last
            raise InvalidPeriod(
                "период кончается раньше, чем начинается: "
                f"{first.year}-{first.month:02d} позже {last.year}-{last.month:02d}"
            )

    @property
    def start(self) -> dt.date:
        return self.first.first_day

    @property
    def end(self) -> dt.date:
        return self.last.last_day

    @property
    def months(self) -> int:
        return self.last.index() - self.first.index() + 1

    @property
    def label(self) -> str:
        return period_label(self)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last

    def clamp(self, bounds: Period) -> Period | None:
        """The part of this period inside ``bounds``, or None if they do not overlap."""
        if not self.overlaps(bounds):
            return None
        return Period(max(self.first, bounds.first), min(self.last, bounds.last))

    def iter_months(self) -> Iterator[Period]:
        m = self.first
        while m <= self.last:
            yield Period(m, m)
            m = m.next()

    def iter_quarters(self) -> Iterator[Period]:
        """Calendar quarters overlapping this period, each clamped to it."""
        return self._iter_blocks(3)

    def iter_halves(self) -> Iterator[Period]:
        return self._iter_blocks(6)

    def iter_years(self) -> Iterator[Period]:
        return self._iter_blocks(12)

    def _iter_blocks(self, size: int) -> Iterator[Period]:
        m = self.first
        while m <= self.last:
            block_start = Month(m.year, (m.month - 1) // size * size + 1)
            block = Period(block_start, Month(m.year, block_start.month + size - 1))
            part = block.clamp(self)
            assert part is not None
            yield part
            m = block.last.next()


def month(year: int, m: int) -> Period:
    return Period(Month(year, m), Month(year, m))


def quarter(year: int, q: int) -> Period:
    return Period(Month(year, 3 * q - 2), Month(year, 3 * q))


def quarter_of(day: dt.date) -> Period:
    """The calendar quarter ``day`` falls in."""
    return quarter(day.year, (day.month - 1) // 3 + 1)


def half_year(year: int, h: int) -> Period:
    return Period(Month(year, 6 * h - 5), Month(year, 6 * h))


def year(y: int) -> Period:
    return Period(Month(y, 1), Month(y, 12))


def period_label(p: Period) -> str:
    """The canonical label of a period (see the module docstring)."""
    f, last = p.first, p.last
    if f == last:
        return f"{f.year}-{f.month:02d}"
    same_year = f.year == last.year
    if same_year and f.month == 1 and last.month == 12:
        return str(f.year)
    if same_year and last.month - f.month == 5 and f.month in (1, 7):
        return f"{f.year}-H{1 if f.month == 1 else 2}"
    if same_year and last.month - f.month == 2 and f.month % 3 == 1:
        return f"{f.year}-Q{(f.month + 2) // 3}"
    if f.month == 1 and last.month == 12:
        return f"{f.year}..{last.year}"
    return f"{f.year}-{f.month:02d}..{last.year}-{last.month:02d}"


_SINGLE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$")


def parse_period(label: str) -> Period:
    """Parse a label made by ``period_label`` (or a range ``A..B`` of any two labels).

    Raises:
        InvalidPeriod: the label is not of that form.
    """
    text = label.strip()
    if ".." in text:
        a, _, b = text.partition("..")
        return Period(parse_period(a).first, parse_period(b).last)
    m = _SINGLE.match(text)
    if not m:
        raise InvalidPeriod(
            f"не удалось прочитать период «{label}»: ожидается 2025-03, 2025-Q2, 2025-H1, 2025 "
            "или диапазон 2025-04..2025-12"
        )
    y = int(m.group(1))
    if m.group(2):
        mm = int(m.group(2))
        if not 1 <= mm <= 12:
            raise InvalidPeriod(f"в периоде «{label}» нет такого месяца")
        return month(y, mm)
    if m.group(3):
        return quarter(y, int(m.group(3)))
    if m.group(4):
        return half_year(y, int(m.group(4)))
    return year(y)
