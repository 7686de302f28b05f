"""The window of dates a person may give: around the program's span, never a typo's 9999.

A due date moved by an extension, a document's own date, the day a command acts «as of»:
each is refused outside [1 January of the year before the span starts, 31 December of the
second year after it ends]. For a 2025–2026 program that is 01.01.2024–31.12.2028: room
for documents dated before the program and for late reports and extensions after it, and
nothing a person could mean beyond.
"""

from __future__ import annotations

import datetime as dt

from roadmap.dates.periods import Period
from roadmap.errors import RoadmapError

YEARS_BEFORE = 1
YEARS_AFTER = 2


class DateOutOfRange(RoadmapError):
    """A date given by a person that lies outside the program's date window."""


def date_window(span: Period) -> tuple[dt.date, dt.date]:
    """The first and last date (inclusive) a person may give for a program spanning ``span``."""
    return (
        dt.date(span.start.year - YEARS_BEFORE, 1, 1),
        dt.date(span.end.year + YEARS_AFTER, 12, 31),
    )


def check_in_window(day: dt.date, span: Period, what: str) -> dt.date:
    """``day`` itself when it lies in the window of ``span``.

    Args:
        what: what the date is, as the message names it («новый срок», «дата документа»).

    Raises:
        DateOutOfRange: otherwise, naming the window.
    """
    first, last = date_window(span)
    if not first <= day <= last:
        raise DateOutOfRange(
            f"{what}: {day:%d.%m.%Y} вне допустимых дат {first:%d.%m.%Y}–{last:%d.%m.%Y} "
            f"(от года до начала программы до двух лет после её окончания)"
        )
    return day
