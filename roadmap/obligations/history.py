"""An obligation as it stood on a past date, from its current row and what changed since.

Storage keeps each obligation's current row and, in the audit, every change made to it:
when it was recorded, what happened (a document submitted, a review, «неприменимо», an
extension approved, a program amendment), and the field's old and new value. The standing
on a date is the current row with every change recorded after the end of that date undone,
so a report made today for last July says what was known last July:

- *state*, *due date*, *opening date*, *cancellation* and *owners* (an amendment may name
  other executors) are the old value of the first change to each recorded after ``as_of``
  (the current value when nothing changed since);
- *fulfilled on* is the day of the last submission recorded by ``as_of``, when the state
  then was one in which something handed in stands (submitted, accepted, closed late);
- *not applicable on* stands only when the state then was «неприменимо»;
- an obligation recorded after ``as_of`` did not exist yet, unless it came with the program's
  first loading: the program as first loaded is the plan from its first day.

Days are calendar dates in the program's time zone; ``as_of`` is inclusive (a change recorded
at 23:59 on ``as_of`` counts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from roadmap.obligations.states import FULFILLED, State

# the audit's fields whose old value is the obligation's value before the change
STATE, DUE, OPENS, CANCELLED, OWNERS = "state", "due", "opens", "cancelled_in_version", "owners"
TRACKED = (STATE, DUE, OPENS, CANCELLED, OWNERS)
SUBMIT, CREATE = "submit", "create"


@dataclass(frozen=True)
class Change:
    """One recorded change to an obligation, as the audit keeps it."""

    on: dt.date  # the day it was recorded, in the program's time zone
    action: str  # «submit», «accept», «due_changed», «create», «drop», ...
    field: str | None
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Standing:
    """What status and reports need of an obligation that its history can change."""

    state: str
    due: dt.date
    opens: dt.date
    fulfilled_on: dt.date | None
    na_on: dt.date | None
    cancelled: bool
    owners: tuple[str, ...] = ()


def standing_as_of(
    now: Standing, changes: Sequence[Change], as_of: dt.date, *, loaded_on: dt.date
) -> Standing | None:
    """The obligation's standing at the end of ``as_of`` (see the module docstring).

    Args:
        now: the obligation as stored today.
        changes: every change recorded to it, in the order recorded.
        loaded_on: the day the program was first loaded.

    Returns:
        the standing then, or None: the obligation was not recorded yet.
    """
    created = next((c for c in changes if c.action == CREATE), None)
    if created is not None and as_of < created.on and loaded_on < created.on:
        return None
    later = [c for c in changes if c.on > as_of]
    if not later:
        return now
    state = _before(later, STATE, now.state)
    due = _date_before(later, DUE, now.due)
    opens = _date_before(later, OPENS, now.opens)
    cancelled = now.cancelled
    first = next((c for c in later if c.field == CANCELLED), None)
    if first is not None:
        cancelled = first.old is not None
    submitted = [c.on for c in changes if c.action == SUBMIT and c.on <= as_of]
    fulfilled_on = None
    if state in FULFILLED:
        fulfilled_on = submitted[-1] if submitted else now.fulfilled_on
    na_on = now.na_on if state == State.NOT_APPLICABLE else None
    owners = now.owners
    first_owners = next((c for c in later if c.field == OWNERS and c.old is not None), None)
    if first_owners is not None and first_owners.old is not None:
        owners = org_ids(first_owners.old)
    return replace(
        now,
        state=state,
        due=due,
        opens=opens,
        fulfilled_on=fulfilled_on,
        na_on=na_on,
        cancelled=cancelled,
        owners=owners,
    )


_ORG_ID = re.compile(r"[A-Za-z0-9_.-]+")


def org_ids(text: str) -> tuple[str, ...]:
    """The organisation ids an audit row wrote as a list («['org-a', 'org-b']»)."""
    return tuple(_ORG_ID.findall(text))


def _before(later: Sequence[Change], field: str, current: str) -> str:
    """The field's value before the first of ``later`` that changed it (its creation: the
    value it was created with)."""
    first = next((c for c in later if c.field == field), None)
    if first is None:
        return current
    return first.old if first.old is not None else (first.new or current)


def _date_before(later: Sequence[Change], field: str, current: dt.date) -> dt.date:
    first = next((c for c in later if c.field == field and c.old is not None), None)
    return current if first is None or first.old is None else dt.date.fromisoformat(first.old)
