"""What a digest lists: the items overdue or due within the next ten working days.

A contact who reads digests gets, on a day with new ladder messages, one message gathering
them. It lists, grouped by due date, the items that are overdue or fall due within the
window (the notifications issue: «what is overdue and what falls due within the next ten
working days»); items due later (opening notices of long terms) are counted, not listed,
and come back to the reader with their reminders. An item reached by several steps the
same day (a day the engine caught up) is listed once, at its latest step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from roadmap.dates.workdays import WorkCalendar

WINDOW_WORKING_DAYS = 10

T = TypeVar("T")


def window_end(day: dt.date, cal: WorkCalendar) -> dt.date:
    """The last day a digest of ``day`` lists: the tenth working day after it (inclusive)."""
    return cal.add_working_days(day, WINDOW_WORKING_DAYS)


@dataclass(frozen=True)
class DigestItem(Generic[T]):
    """One message of the day as the digest rule sees it."""

    obligation: str
    due: dt.date
    order: tuple[dt.date, int]  # (step date, recording order): a later step supersedes
    value: T


@dataclass(frozen=True)
class DigestPlan(Generic[T]):
    listed: list[T]  # one per obligation, its latest step, by due date
    later: list[T]  # due after the window: counted, not listed


def plan_digest(items: Sequence[DigestItem[T]], day: dt.date, cal: WorkCalendar) -> DigestPlan[T]:
    """Split a day's messages into those a digest of ``day`` lists and those it only counts."""
    end = window_end(day, cal)
    latest: dict[str, DigestItem[T]] = {}
    for item in items:
        seen = latest.get(item.obligation)
        if seen is None or item.order > seen.order:
            latest[item.obligation] = item
    chosen = sorted(latest.values(), key=lambda i: (i.due, i.obligation))
    return DigestPlan(
        listed=[i.value for i in chosen if i.due <= end],
        later=[i.value for i in chosen if i.due > end],
    )
