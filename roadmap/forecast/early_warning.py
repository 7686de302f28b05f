"""The early warning: a forecast of every key indicator, with an interval and a risk verdict.

For each indicator, its history of actual values as of a date becomes a projection at each
checkpoint not yet observed (``projection.py`` chooses the method), with a prediction
interval (80 % by default) and the probability of reaching the target. The rules:

- **History.** An indicator with monthly values (1.1, the headcount «as of the 1st» from
  activity 6.1) is forecast from them: a month counts once every contributor has given its
  value. Any other indicator is forecast from its checkpoint values, each dated on its
  checkpoint. Values given after the as-of date, or for a later date, are not history.
- **Too little history.** Fewer monthly values than the program's ``min_monthly_values``
  (a year, 12, unless the program sets its own), or fewer than three checkpoint values,
  give «недостаточно данных» and no projection: never a guess.
- **What is projected.** Every checkpoint after the last value. When the program-end
  target's checkpoint has its value, the verdict is the fact's, judged by the same rule
  as a projection that is certain.
- **Counts never go below zero.** The projection and the interval's ends are cut at zero
  (every indicator of the program is a count, a share or a duration).
- **The verdict** (the program's ``forecast`` rule, ``ForecastRule``), at the next
  checkpoint with a target and at the program's end, as the monitoring of national and
  regional projects judges the forecast value against the plan: «в пределах плана» when
  the projection reaches the target or misses it by no more than the tolerance (the
  explanation margin unless the program sets its own) or when reaching the target is
  still not unlikely (a probability of at least the rule's ``risk_probability``, 1/3);
  «риск недостижения» when it misses by more and reaching the target is unlikely;
  «высокий риск недостижения» when even the interval's better end misses by more (so the
  probability of reaching the target is below the interval's lower tail, 10 %). The
  thresholds apply to unrounded values, in the indicator's direction. The probability of
  reaching the target itself is always given beside the verdict.
- **The alert.** The monthly letter goes out when the verdict at the program's end has
  warned at the rule's ``confirm_months`` consecutive monthly assessments (``alert_due``);
  each month's verdict is shown as it is.
- **The pace.** Beside each verdict: the change per month from the last value that the
  target needs, and the one the projection makes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from roadmap.dates.periods import parse_period
from roadmap.forecast.projection import (
    Method,
    Predictive,
    Series,
    checkpoint_time,
    month_time,
    project,
)
from roadmap.program.model import Checkpoint, Direction, Indicator, Program
from roadmap.reports.actuals import shortfall
from roadmap.reports.report import ValueFact, indicator_actual

INTERVAL = 0.8  # the default interval's coverage: from the 10th to the 90th percentile
MIN_MONTHLY_POINTS = 12  # a year: the program's ``min_monthly_values`` unless it sets its own
MIN_CHECKPOINT_POINTS = 3
# A projection is never certain: its probability of reaching the target is held within
# [PROBABILITY_BOUND, 1 − PROBABILITY_BOUND] (a fact, the last checkpoint's value, is).
PROBABILITY_BOUND = 0.01
# the explanation margin's default (``ROADMAP_EXPLANATION_MARGIN``): the verdict's tolerance
# unless the program data sets its own
EXPLANATION_MARGIN = 0.05
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class Risk(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    HIGH_RISK = "high_risk"
    INSUFFICIENT_DATA = "insufficient_data"

    @property
    def warns(self) -> bool:
        """A risk of not reaching the target, high or not."""
        return self in (Risk.AT_RISK, Risk.HIGH_RISK)

    @property
    def severity(self) -> int:
        """0 on track or no data, 1 at risk, 2 high risk: a warning is news when it rises."""
        return {Risk.AT_RISK: 1, Risk.HIGH_RISK: 2}.get(self, 0)


ACTUAL = "actual"  # the method named when the last checkpoint's value is known: the fact

# Labels: the one place the forecast's Russian words live.
RISK_RU: dict[Risk, str] = {
    Risk.ON_TRACK: "в пределах плана",
    Risk.AT_RISK: "риск недостижения",
    Risk.HIGH_RISK: "высокий риск недостижения",
    Risk.INSUFFICIENT_DATA: "недостаточно данных",
}
METHOD_RU: dict[str, str] = {
    Method.DRIFT: "дрейф",
    Method.LINEAR: "линейный тренд",
    Method.HOLT_DAMPED: "затухающий тренд Хольта",
    ACTUAL: "факт",
}


@dataclass(frozen=True)
class Observation:
    """An actual value and the date it describes (a checkpoint's date, a month's 1st)."""

    on: dt.date
    value: float


@dataclass(frozen=True)
class History:
    """An indicator's actual values as of a date, oldest first."""

    monthly: bool
    observations: tuple[Observation, ...] = ()

    def enough(self, monthly_points: int = MIN_MONTHLY_POINTS) -> bool:
        """Whether there are enough values to judge: ``monthly_points`` monthly ones, or
        ``MIN_CHECKPOINT_POINTS`` checkpoint values."""
        need = monthly_points if self.monthly else MIN_CHECKPOINT_POINTS
        return len(self.observations) >= need


@dataclass(frozen=True)
class Goal:
    """A target at a checkpoint."""

    period: str
    date: dt.date
    value: float

    def as_dict(self) -> dict[str, Any]:
        return {"period": self.period, "date": self.date.isoformat(), "value": self.value}


@dataclass(frozen=True)
class Outlook:
    """The forecast at one checkpoint: the projection, its interval and the verdict.

    ``shortfall`` is the share by which the projection is worse than the target (< 0:
    better); ``needed`` the change per month from the last value that reaches the target by
    the checkpoint's date, ``trend`` the change per month the projection makes (None for a
    fact).
    """

    goal: Goal
    projected: float
    low: float
    high: float
    probability: float
    risk: Risk
    shortfall: float
    needed: float | None = None
    trend: float | None = None

    @property
    def status(self) -> str:
        return RISK_RU[self.risk]

    def as_dict(self) -> dict[str, Any]:
        def r(v: float | None, digits: int = 2) -> float | None:
            return None if v is None else round(v, digits)

        return {
            **self.goal.as_dict(),
            "projected": r(self.projected),
            "low": r(self.low),
            "high": r(self.high),
            "probability": r(self.probability, 3),
            "shortfall": r(self.shortfall, 4),
            "needed_per_month": r(self.needed),
            "trend_per_month": r(self.trend),
            "risk": self.risk.value,
            "status": self.status,
        }


@dataclass(frozen=True)
class IndicatorForecast:
    """One indicator's forecast; ``as_dict`` is its stable JSON form.

    ``projected``, ``low`` and ``high`` map each checkpoint after the last value to the
    projection and the interval's ends: None when there is too little history, empty
    when no checkpoint is left. ``at_next`` and ``at_end`` are the verdicts at the next
    checkpoint with a target and at the program's end (the same object when they are one
    checkpoint); ``risk`` and ``probability`` are the end's.
    """

    code: str
    name: str
    unit: str
    direction: Direction
    next_target: Goal | None
    end_target: Goal | None
    points: int
    method: str | None
    projected: Mapping[str, float] | None
    low: Mapping[str, float] | None
    high: Mapping[str, float] | None
    probability: float | None
    risk: Risk
    tolerance: float = 0.05
    coverage: float = INTERVAL
    at_next: Outlook | None = None
    at_end: Outlook | None = None
    last: Observation | None = None

    @property
    def status(self) -> str:
        """The verdict in Russian, as a person reads it."""
        return RISK_RU[self.risk]

    def as_dict(self) -> dict[str, Any]:
        def rounded(m: Mapping[str, float] | None) -> dict[str, float] | None:
            return None if m is None else {k: round(v, 2) for k, v in m.items()}

        return {
            "code": self.code,
            "name": self.name,
            "direction": self.direction,
            "target": {
                "next": self.next_target.as_dict() if self.next_target else None,
                "end": self.end_target.as_dict() if self.end_target else None,
            },
            "points": self.points,
            "method": self.method,
            "projected": rounded(self.projected),
            "low": rounded(self.low),
            "high": rounded(self.high),
            "probability": None if self.probability is None else round(self.probability, 3),
            "risk": self.risk.value,
            "status": self.status,
            "tolerance": self.tolerance,
            "interval": self.coverage,
            "checkpoints": {
                "next": self.at_next.as_dict() if self.at_next else None,
                "end": self.at_end.as_dict() if self.at_end else None,
            },
        }


# --- histories ----------------------------------------------------------------------------
def build_histories(
    program: Program, values: Iterable[ValueFact], as_of: dt.date
) -> dict[str, History]:
    """Every indicator's history from the newest values per (indicator, period, org).

    Args:
        values: values given up to ``as_of``, the newest per (indicator, period,
            organization), as storage reads them.
    """
    by_indicator: dict[str, list[ValueFact]] = {}
    for v in values:
        by_indicator.setdefault(v.indicator, []).append(v)
    dates = {c.period: c.date for c in program.checkpoints}
    out = {}
    for ind in program.indicators:
        facts = by_indicator.get(ind.code, [])
        months = sorted({v.period for v in facts if _MONTH.match(v.period)})
        monthly = bool(months)
        periods = months if monthly else [c.period for c in program.checkpoints]
        points = []
        for period in periods:
            on = parse_period(period).start if monthly else dates[period]
            actual, _, _ = indicator_actual(program, ind, facts, period)
            if actual is not None and on <= as_of:
                points.append(Observation(on, actual))
        out[ind.code] = History(monthly, tuple(sorted(points, key=lambda o: o.on)))
    return out


# --- the forecast -------------------------------------------------------------------------
def passed_checkpoints(program: Program, as_of: dt.date) -> int:
    """How many of the program's checkpoints are dated on or before ``as_of``.

    Besides the histories, this is all of ``as_of`` a forecast depends on: an indicator
    without values is judged against the first goal after ``as_of``; one with values
    against the first after its last value. Two dates with the same histories and the same
    count give the same forecast.
    """
    return sum(1 for c in program.checkpoints if c.date <= as_of)


def forecast_indicators(
    program: Program,
    histories: Mapping[str, History],
    *,
    as_of: dt.date,
    margin: float = EXPLANATION_MARGIN,
) -> list[IndicatorForecast]:
    """The forecast of every indicator of ``program``, in the program's order.

    Args:
        margin: the explanation margin, the tolerance unless the program sets its own.
    """
    empty = History(monthly=False)
    return [
        forecast_indicator(program, ind, histories.get(ind.code, empty), as_of=as_of, margin=margin)
        for ind in program.indicators
    ]


def forecast_indicator(
    program: Program,
    indicator: Indicator,
    history: History,
    *,
    as_of: dt.date,
    margin: float = EXPLANATION_MARGIN,
) -> IndicatorForecast:
    """One indicator's forecast as of ``as_of`` (see the module docstring for the rules).

    Args:
        margin: the explanation margin, the tolerance unless the program sets its own.
    """
    rule = program.forecast
    observed = tuple(o for o in history.observations if o.on <= as_of)
    since = observed[-1].on if observed else as_of
    goals = [
        Goal(c.period, c.date, t)
        for c, t in zip(program.checkpoints, indicator.targets, strict=True)
        if t is not None
    ]
    end = goals[-1] if goals else None
    upcoming = next((g for g in goals if g.date > since), None)
    blank = IndicatorForecast(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        next_target=upcoming,
        end_target=end,
        points=len(observed),
        method=None,
        projected=None,
        low=None,
        high=None,
        probability=None,
        risk=Risk.INSUFFICIENT_DATA,
        tolerance=rule.tolerance_or(margin),
        coverage=rule.interval,
        last=observed[-1] if observed else None,
    )
    if end is not None and observed and end.date <= since:
        return _reached_end(blank, end, observed[-1].value)
    if end is None or not History(history.monthly, observed).enough(rule.min_monthly_values):
        return blank
    ahead = [c for c in program.checkpoints if c.date > since]
    clock = month_time if history.monthly else checkpoint_time
    return _projected(blank, observed, ahead, (end, upcoming), rule.risk_probability, clock)


def _reached_end(blank: IndicatorForecast, end: Goal, value: float) -> IndicatorForecast:
    """The last checkpoint has passed: the outlook is the last value given, for certain."""
    direction = blank.direction
    fact = Outlook(
        goal=end,
        projected=value,
        low=value,
        high=value,
        probability=1.0 if reaches(direction, value, end.value) else 0.0,
        risk=verdict(direction, end.value, value, value, value, blank.tolerance),
        shortfall=shortfall(direction, value, end.value),
    )
    return replace(
        blank,
        method=ACTUAL,
        projected={},
        low={},
        high={},
        probability=fact.probability,
        risk=fact.risk,
        at_end=fact,
    )


def _projected(
    blank: IndicatorForecast,
    observed: tuple[Observation, ...],
    ahead: list[Checkpoint],
    goals: tuple[Goal, Goal | None],
    unlikely: float | None,
    clock: Callable[[dt.date], float],
) -> IndicatorForecast:
    """The history projected to the checkpoints ``ahead``, with the outlook at the next
    goal and at the last (``goals``: the end's and the next's); ``clock`` measures dates in
    months (checkpoint values at the checkpoint day's end, monthly ones at the month's 1st)."""
    end, upcoming = goals
    series = Series(tuple(clock(o.on) for o in observed), tuple(o.value for o in observed))
    proj = project(series, [clock(c.date) for c in ahead])
    by_period = {c.period: p for c, p in zip(ahead, proj.predictive, strict=True)}
    bounds = {k: interval(p, blank.coverage) for k, p in by_period.items()}
    projected = {k: max(0.0, p.mean) for k, p in by_period.items()}

    def outlook(goal: Goal) -> Outlook:
        direction = blank.direction
        at, (low, high) = projected[goal.period], bounds[goal.period]
        months = clock(goal.date) - clock(observed[-1].on)
        last = observed[-1].value
        chance = probability(direction, by_period[goal.period], goal.value)
        return Outlook(
            goal=goal,
            projected=at,
            low=low,
            high=high,
            probability=chance,
            risk=verdict(
                direction,
                goal.value,
                at,
                low,
                high,
                blank.tolerance,
                probability=chance,
                unlikely=unlikely,
            ),
            shortfall=shortfall(direction, at, goal.value),
            needed=(goal.value - last) / months,
            trend=(at - last) / months,
        )

    at_end = outlook(end)
    at_next = at_end if upcoming is None or upcoming == end else outlook(upcoming)
    return replace(
        blank,
        method=proj.method.value,
        projected=projected,
        low={k: b[0] for k, b in bounds.items()},
        high={k: b[1] for k, b in bounds.items()},
        probability=at_end.probability,
        risk=at_end.risk,
        at_next=at_next,
        at_end=at_end,
    )


def interval(p: Predictive, coverage: float = INTERVAL) -> tuple[float, float]:
    """The central prediction interval of ``coverage``, its ends cut at zero."""
    tail = (1 - coverage) / 2
    return max(0.0, p.quantile(tail)), max(0.0, p.quantile(1 - tail))


# --- the verdict --------------------------------------------------------------------------
def _slack(target: float) -> float:
    """Float noise allowed when a value sits exactly on its target."""
    return 1e-9 * max(1.0, abs(target))


def reaches(direction: Direction, value: float, target: float) -> bool:
    """Whether ``value`` reaches ``target``: at most it when less is better, at least it else."""
    if direction == "down":
        return value <= target + _slack(target)
    return value >= target - _slack(target)


def within(direction: Direction, value: float, target: float, tolerance: float) -> bool:
    """Whether ``value`` misses ``target`` by no more than ``tolerance`` (a share of it)."""
    return shortfall(direction, value, target) <= tolerance + 1e-9


def verdict(
    direction: Direction,
    target: float,
    projected: float,
    low: float,
    high: float,
    tolerance: float,
    *,
    probability: float | None = None,
    unlikely: float | None = None,
) -> Risk:
    """The verdict on a projection and its interval [low, high] at a checkpoint's ``target``.

    «в пределах плана» when ``projected`` is within ``tolerance`` of the target, or when
    the ``probability`` of reaching the target is ``unlikely`` or more (either None: the
    probability is not asked); else «высокий риск недостижения» when the interval's better
    end is not within the tolerance either, and «риск недостижения» otherwise. Unrounded
    values; ``direction`` is the better one.
    """
    if within(direction, projected, target, tolerance):
        return Risk.ON_TRACK
    if probability is not None and unlikely is not None and probability >= unlikely:
        return Risk.ON_TRACK
    best = low if direction == "down" else high
    return Risk.AT_RISK if within(direction, best, target, tolerance) else Risk.HIGH_RISK


def probability(direction: Direction, predictive: Predictive, target: float) -> float:
    """P(the value reaches ``target``), the value cut at zero as counts are, held within
    ``PROBABILITY_BOUND`` of 0 and 1: a projection is never certain."""
    if direction == "down":
        p = predictive.cdf(target) if target >= 0 else 0.0
    else:
        p = predictive.at_least(target) if target > 0 else 1.0
    return min(max(p, PROBABILITY_BOUND), 1 - PROBABILITY_BOUND)


# --- the alert ----------------------------------------------------------------------------
def held(risks: Sequence[Risk], months: int) -> int:
    """The severity the verdicts held at each of the last ``months`` ones (oldest first):
    0 when there are fewer, or one of them did not warn."""
    if months < 1 or len(risks) < months:
        return 0
    return min(r.severity for r in risks[-months:])


def alert_due(risks: Sequence[Risk], months: int) -> bool:
    """Whether the monthly alert goes out after the last of ``risks`` (monthly verdicts at
    the program's end, oldest first): the severity held at ``months`` consecutive verdicts
    rose with it (a risk held two months running, then a high risk held as long)."""
    return held(risks, months) > held(risks[:-1], months)
