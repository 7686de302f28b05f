"""The reminder and escalation ladder: which step falls due on which working day.

Defaults (``program.DEFAULT_LADDER``; a program may set its own), counted in working days on
the program's calendar: ``open`` when the obligation opens; ``remind-10``, ``remind-3`` and
``due`` 10 and 3 working days before the due date and on it; ``overdue`` 1 working day
after; ``escalate-1`` (head, copy to the coordinator) 5 after; ``escalate-2`` (curator) 10
after; ``escalate-3`` (commission secretary) 20 after.

Each *cycle* of the ladder counts only from ``since``: the day the obligation appeared in
storage, or the day an extension was approved or a submission rejected. A rejection after
the due date *anchors* the cycle: it restarts from the overdue step on the rejection day,
and the escalations follow at the same distances from it. Steps that say
``while_unsubmitted`` are skipped once something stands submitted, or the obligation is
not applicable, cancelled or closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from roadmap.dates.workdays import WorkCalendar
from roadmap.obligations.states import OWED, State
from roadmap.program.model import LadderStep


@dataclass(frozen=True)
class LadderFacts:
    """What the ladder needs of an obligation."""

    opens: dt.date
    due: dt.date
    state: str
    cycle: int
    since: dt.date
    anchor: dt.date | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class DueStep:
    step: LadderStep
    date: dt.date


def reminders_before_opening(
    ladder: Iterable[LadderStep], facts: LadderFacts, cal: WorkCalendar
) -> list[DueStep]:
    """The reminders before the due date that this cycle's opening notice comes too late for.

    They are dated before the opening notice: the ladder never sends them, so the opening
    notice says how many working days are left. A later cycle has no opening notice.
    """
    if facts.cycle > 0:
        return []
    notice = cal.roll_forward(facts.opens)
    out = []
    for step in ladder:
        if step.offset is None or step.offset >= 0:
            continue
        day = step_date(step, facts, cal)
        if day is not None and day < notice:
            out.append(DueStep(step, day))
    return out


def days_left_at_opening(
    ladder: Iterable[LadderStep], facts: LadderFacts, cal: WorkCalendar
) -> int | None:
    """The working days to the due date an opening notice names, counted from its own day;
    None where every reminder before the due date still follows it (the notice names none).
    """
    if not reminders_before_opening(ladder, facts, cal):
        return None
    return max(0, cal.working_days_between(cal.roll_forward(facts.opens), facts.due))


def step_date(step: LadderStep, facts: LadderFacts, cal: WorkCalendar) -> dt.date | None:
    """The working day on which ``step`` falls in the obligation's current cycle.

    None when the step has no place in this cycle (an anchored cycle has no reminders).
    """
    if step.offset is None:  # the opening notice
        if facts.cycle > 0:
            return None
        return cal.roll_forward(facts.opens)
    if facts.anchor is not None:
        if step.offset <= 0:
            return None
        # the overdue step (offset 1) falls on the rejection day; the rest keep their distance
        return cal.add_working_days(cal.roll_forward(facts.anchor), step.offset - 1)
    return cal.add_working_days(cal.roll_back(facts.due), step.offset)


def steps_due(
    ladder: Iterable[LadderStep], facts: LadderFacts, as_of: dt.date, cal: WorkCalendar
) -> list[DueStep]:
    """The steps whose day has come by ``as_of`` in this cycle, and still apply.

    Every step dated from ``since`` up to ``as_of`` is returned, not only today's, so a day
    the engine did not run is caught up the next day (the outbox sends each step once).
    """
    if facts.cancelled or facts.state in (State.CANCELLED, State.NOT_APPLICABLE):
        return []
    owed = facts.state in OWED
    out: list[DueStep] = []
    for step in ladder:
        day = step_date(step, facts, cal)
        if day is None or day < facts.since or day > as_of or day < facts.opens:
            continue
        if (step.while_unsubmitted or step.offset is None) and not owed:
            continue
        out.append(DueStep(step, day))
    return out


def next_step_dates(
    ladder: Iterable[LadderStep], facts: LadderFacts, cal: WorkCalendar
) -> list[DueStep]:
    """Every dated step of the current cycle from ``since`` on (for schedules)."""
    out = []
    for step in ladder:
        day = step_date(step, facts, cal)
        if day is not None and day >= facts.since and day >= facts.opens:
            out.append(DueStep(step, day))
    return sorted(out, key=lambda d: d.date)
