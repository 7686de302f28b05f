"""The early warning: a forecast of every key indicator, with an interval and a risk verdict.

For each indicator, its history of actual values as of a date becomes a projection at each
checkpoint not yet observed (``projection.py`` chooses the method), with an 80 % prediction
interval and the probability of reaching the program-end target. The rules:

- **History.** An indicator with monthly values (1.1, the headcount «as of the 1st» from
  activity 6.1) is forecast from them: a month counts once every contributor has given its
  value. Any other indicator is forecast from its checkpoint values, each dated on its
  checkpoint. Values given after the as-of date, or for a later date, are not history.
- **Too little history.** Fewer than six monthly values, or fewer than three checkpoint
  values, give «недостаточно данных» and no projection: never a guess.
- **What is projected.** Every checkpoint after the last value. When the program-end
  target's checkpoint has its value, the verdict is the fact's: the value met it or not.
- **Counts never go below zero.** The projection and the interval's ends are cut at zero
  (every indicator of the program is a count, a share or a duration).
- **The verdict** is taken at the program-end target (the last checkpoint with a target):
  «в пределах плана» when the target lies inside the interval or on its better side for the
  indicator's direction, «риск недостижения» when the whole interval misses it on the worse
  side. The probability of reaching the target comes from the same predictive
  distribution, so «риск недостижения» always means a probability below 10 %.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from roadmap.periods import parse_period
from roadmap.program import Direction, Indicator, Program
from roadmap.projection import Method, Predictive, Series, month_time, project
from roadmap.report import ValueFact, indicator_actual

INTERVAL = 0.8  # the prediction interval's coverage: from the 10th to the 90th percentile
MIN_MONTHLY_POINTS = 6
MIN_CHECKPOINT_POINTS = 3
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class Risk(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    INSUFFICIENT_DATA = "insufficient_data"


ACTUAL = "actual"  # the method named when the last checkpoint's value is known: the fact

# Labels: the one place the forecast's Russian words live.
RISK_RU: dict[Risk, str] = {
    Risk.ON_TRACK: "в пределах плана",
    Risk.AT_RISK: "риск недостижения",
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

    @property
    def enough(self) -> bool:
        need = MIN_MONTHLY_POINTS if self.monthly else MIN_CHECKPOINT_POINTS
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
class IndicatorForecast:
    """One indicator's forecast; ``as_dict`` is its stable JSON form.

    ``projected``, ``low`` and ``high`` map each checkpoint after the last value to the
    projection and the 80 % interval's ends: None when there is too little history, empty
    when no checkpoint is left.
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
def forecast_indicators(
    program: Program, histories: Mapping[str, History], *, as_of: dt.date
) -> list[IndicatorForecast]:
    """The forecast of every indicator of ``program``, in the program's order."""
    empty = History(monthly=False)
    return [
        forecast_indicator(program, ind, histories.get(ind.code, empty), as_of=as_of)
        for ind in program.indicators
    ]


def forecast_indicator(
    program: Program, indicator: Indicator, history: History, *, as_of: dt.date
) -> IndicatorForecast:
    """One indicator's forecast as of ``as_of`` (see the module docstring for the rules)."""
    observed = tuple(o for o in history.observations if o.on <= as_of)
    since = observed[-1].on if observed else as_of
    goals = [
        Goal(c.period, c.date, t)
        for c, t in zip(program.checkpoints, indicator.targets, strict=True)
        if t is not None
    ]
    end = goals[-1] if goals else None
    ahead = [c for c in program.checkpoints if c.date > since]
    blank = IndicatorForecast(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        next_target=next((g for g in goals if g.date > since), None),
        end_target=end,
        points=len(observed),
        method=None,
        projected=None,
        low=None,
        high=None,
        probability=None,
        risk=Risk.INSUFFICIENT_DATA,
    )
    if end is not None and observed and end.date <= since:
        met = reaches(indicator.direction, observed[-1].value, end.value)
        return replace(
            blank,
            method=ACTUAL,
            projected={},
            low={},
            high={},
            probability=1.0 if met else 0.0,
            risk=Risk.ON_TRACK if met else Risk.AT_RISK,
        )
    if end is None or not History(history.monthly, observed).enough:
        return blank
    series = Series(tuple(month_time(o.on) for o in observed), tuple(o.value for o in observed))
    proj = project(series, [month_time(c.date) for c in ahead])
    by_period = {c.period: p for c, p in zip(ahead, proj.predictive, strict=True)}
    bounds = {k: interval(p) for k, p in by_period.items()}
    low, high = bounds[end.period]
    return replace(
        blank,
        method=proj.method.value,
        projected={k: max(0.0, p.mean) for k, p in by_period.items()},
        low={k: b[0] for k, b in bounds.items()},
        high={k: b[1] for k, b in bounds.items()},
        probability=probability(indicator.direction, by_period[end.period], end.value),
        risk=verdict(indicator.direction, end.value, low, high),
    )


def interval(p: Predictive) -> tuple[float, float]:
    """The 80 % prediction interval, its ends cut at zero."""
    tail = (1 - INTERVAL) / 2
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


def verdict(direction: Direction, target: float, low: float, high: float) -> Risk:
    """On track unless the whole interval [low, high] misses ``target`` on the worse side."""
    return (
        Risk.ON_TRACK
        if reaches(direction, low if direction == "down" else high, target)
        else Risk.AT_RISK
    )


def probability(direction: Direction, predictive: Predictive, target: float) -> float:
    """P(the value reaches ``target``), the value cut at zero as counts are."""
    if direction == "down":
        return predictive.cdf(target) if target >= 0 else 0.0
    return predictive.at_least(target) if target > 0 else 1.0
