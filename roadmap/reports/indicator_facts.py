"""Indicator values from the facts: the checkpoint judged, the values it adds up, the months.

Which checkpoint a report judges indicators at: the last checkpoint within the period that
the as-of date has reached (for a range without one, the last before its end). An
indicator with contributors (1.1) adds up their values; without a value for the
checkpoint itself, the month after it is used (the headcount counted «as of the 1st»).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from roadmap.dates.periods import Period, month
from roadmap.program.model import Checkpoint, Indicator, Program
from roadmap.reports.actuals import trajectory
from roadmap.reports.facts import ValueFact
from roadmap.reports.lines import HeadcountPoint


def judged_checkpoint(program: Program, period: Period, as_of: dt.date) -> int:
    """The index of the checkpoint a report over ``period`` as of ``as_of`` judges indicators at.

    The last checkpoint within the period that the as-of date has reached; if none has been
    reached yet, the first within the period; for a period without one, the last before it.
    """
    inside = [i for i, c in enumerate(program.checkpoints) if period.contains(c.date)]
    reached = [i for i in inside if program.checkpoints[i].date <= as_of]
    if reached:
        return reached[-1]
    if inside:
        return inside[0]
    before = [i for i, c in enumerate(program.checkpoints) if c.date <= period.end]
    return before[-1] if before else 0


def indicator_actual(
    program: Program, ind: Indicator, values: Iterable[ValueFact], period: str
) -> tuple[float | None, str | None, tuple[str, ...]]:
    """(actual, explanation, missing contributors) of an indicator for a period label."""
    vals = [v for v in values if v.indicator == ind.code and v.period == period]
    if ind.contributors:
        by_org = {v.org: v for v in vals}
        missing = tuple(c for c in ind.contributors if c not in by_org)
        if missing:
            return None, None, missing
        notes = list(dict.fromkeys(v.explanation for v in by_org.values() if v.explanation))
        return sum(by_org[c].value for c in ind.contributors), "; ".join(notes) or None, ()
    if not vals:
        return None, None, ()
    latest = max(vals, key=lambda v: v.given_on)
    return latest.value, latest.explanation, ()


def checkpoint_actual(
    program: Program, ind: Indicator, values: Sequence[ValueFact], cp: Checkpoint
) -> tuple[float | None, str | None, tuple[str, ...], str | None]:
    """(actual, explanation, missing contributors, the period that gave it) at a checkpoint.

    An indicator with contributors falls back on the month after the checkpoint (counted
    «as of the 1st»); when neither is complete, the contributors missing are those of the
    one closer to complete (the checkpoint's on a tie).
    """
    actual, note, missing = indicator_actual(program, ind, values, cp.period)
    if actual is not None or not ind.contributors:
        return actual, note, missing, cp.period if actual is not None else None
    after = cp.date + dt.timedelta(days=1)
    label = month(after.year, after.month).label
    actual2, note2, missing2 = indicator_actual(program, ind, values, label)
    if actual2 is not None:
        return actual2, note2, (), label
    return None, None, min(missing, missing2, key=len), None


def headcount_series(
    program: Program, values: Iterable[ValueFact], as_of: dt.date, period: Period | None = None
) -> list[HeadcountPoint]:
    """The monitored indicator by month («as of the 1st») against its trajectory.

    From the program's start to the as-of date, and within a period to the 1st of the
    month after it: the count as of 1 July is the state at the end of the first half-year.
    Each point carries the monitoring parts' values in their order.
    """
    if program.monitoring is None:
        return []
    m = program.monitoring
    ind = program.indicator_map[m.indicator]
    values = [v for v in values if v.indicator == ind.code]
    last = min(as_of, period.end + dt.timedelta(days=1)) if period else as_of
    by_key = {(v.period, v.org): v.value for v in values}
    out = []
    for p in program.span_period.iter_months():
        if p.start > last:
            break
        actual, _, _ = indicator_actual(program, ind, values, p.label)
        parts = tuple(by_key.get((p.label, part.org)) for part in m.parts)
        out.append(HeadcountPoint(p.label, actual, trajectory(program, ind, p.start), parts))
    return out
