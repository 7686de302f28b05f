"""Projecting a series ahead: three simple methods, their predictive distributions, and the
rolling-origin back-test that chooses between them for each series.

Time is measured in months (``month_time``), so a monthly series steps by 1 and the
program's half-yearly checkpoints by about 6. The methods, after Hyndman & Athanasopoulos,
«Forecasting: Principles and Practice» (3rd ed.), §5.2, §7.5 and §8.2:

- **drift**: the last value plus the average change per month from the first to the last
  value (a random walk with drift); the variance grows with the horizon ``H`` as
  ``σ²·(H + H²/span)``, the second term for the uncertainty of the estimated drift;
- **linear**: an ordinary least-squares line through all values, with the textbook
  prediction interval ``s·√(1 + 1/n + (t − t̄)²/Sxx)``;
- **holt_damped**: Holt's linear trend with a damped trend, fitted by statsmodels' ETS
  model (additive errors), with its analytic prediction variance. It needs a regular
  series (no missing months) of at least ``HOLT_MIN_POINTS`` values.

Drift and linear intervals use Student's t with ``n − 2`` degrees of freedom (two
parameters estimated), Holt's the normal distribution statsmodels gives. Everything here is
deterministic: no random draws, no clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist
from typing import Any

import numpy as np

# pandas, scipy and statsmodels take seconds to import: they are imported where they are
# used, so that a command that forecasts nothing (`roadmap --version`) does not wait for them

# Holt's damped trend estimates five parameters (level, trend, their smoothing, damping):
# it is offered only on series long enough to fit and to back-test it on several origins.
HOLT_MIN_TRAIN = 8
HOLT_MIN_POINTS = 12
# The back-test scores a method on at most this many of the latest origins.
BACKTEST_ORIGINS = 8
_TINY = 1e-9
# The floor on a projection's spread, from the series' own scale (see ``spread_floor``): on
# a series shorter than ``FLOOR_POINTS`` values, a share ``FLOOR_SHARE`` of the mean change
# between consecutive values (the naive forecast's error, the scale of Hyndman & Koehler's
# MASE, 2006); on any series, a share ``LEVEL_SHARE`` of its mean level. Both per step of
# the series, growing with the square root of the steps ahead as a random walk's does.
# ``bench/fewpoints.py`` measures the coverage and width they give on 3 to 5 values.
FLOOR_POINTS = 12
FLOOR_SHARE = 0.5
LEVEL_SHARE = 0.005


class Method(StrEnum):
    DRIFT = "drift"
    LINEAR = "linear"
    HOLT_DAMPED = "holt_damped"


def month_time(day: dt.date) -> float:
    """``day`` as months since January of year 0: 1 March 2025 → 24290.0, mid-month halves."""
    days = calendar.monthrange(day.year, day.month)[1]
    return day.year * 12 + day.month - 1 + (day.day - 1) / days


def checkpoint_time(day: dt.date) -> float:
    """``day``'s end in months: a value «as of 31 December» is the one of 1 January.

    Checkpoints fall on a month's last day; measured at the day's end, half-yearly ones are
    exactly six months apart, so a straight series projects straight, with no fractions of
    a month's length (30.06 → 31.12 would be 6.03 months, 31.12 → 30.06 5.97).
    """
    return month_time(day + dt.timedelta(days=1))


@dataclass(frozen=True)
class Series:
    """Values at increasing times (months)."""

    times: tuple[float, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.times) != len(self.values):
            raise ValueError("times and values differ in length")
        if any(b <= a for a, b in zip(self.times, self.times[1:], strict=False)):
            raise ValueError("times must increase")

    def __len__(self) -> int:
        return len(self.values)

    def head(self, k: int) -> Series:
        return Series(self.times[:k], self.values[:k])

    @property
    def step(self) -> float:
        """The median spacing between values (1 for a monthly series)."""
        gaps = sorted(b - a for a, b in zip(self.times, self.times[1:], strict=False))
        return gaps[len(gaps) // 2] if gaps else 1.0

    @property
    def regular(self) -> bool:
        """Equally spaced, within a tenth of a step (months differ in length)."""
        step = self.step
        return all(
            abs((b - a) - step) <= 0.1 * step
            for a, b in zip(self.times, self.times[1:], strict=False)
        )


@dataclass(frozen=True)
class Predictive:
    """A predictive distribution: Student's t with ``dof`` degrees of freedom, or the normal.

    ``scale`` is the standard deviation for the normal, the t's scale otherwise; zero
    means a certain value (a series the method fits exactly).
    """

    mean: float
    scale: float
    dof: float | None = None

    @property
    def certain(self) -> bool:
        return self.scale <= _TINY * max(1.0, abs(self.mean))

    def quantile(self, q: float) -> float:
        if self.certain:
            return self.mean
        if not math.isfinite(self.scale):
            return -math.inf if q < 0.5 else (math.inf if q > 0.5 else self.mean)
        if not self.dof:
            return self.mean + self.scale * NormalDist().inv_cdf(q)
        from scipy.stats import t as student_t

        z = float(student_t.ppf(q, self.dof))
        return self.mean + z * self.scale

    def cdf(self, x: float) -> float:
        """P(value ≤ x)."""
        if self.certain:
            return 1.0 if x >= self.mean - _TINY * max(1.0, abs(self.mean)) else 0.0
        if not math.isfinite(self.scale):
            return 0.5
        z = (x - self.mean) / self.scale
        if not self.dof:
            return NormalDist().cdf(z)
        from scipy.stats import t as student_t

        return float(student_t.cdf(z, self.dof))

    def at_least(self, x: float) -> float:
        """P(value ≥ x)."""
        if self.certain:
            return 1.0 if self.mean >= x - _TINY * max(1.0, abs(x)) else 0.0
        return 1.0 - self.cdf(x)


@dataclass(frozen=True)
class Projection:
    """What the chosen method says at each requested time."""

    method: Method
    at: tuple[float, ...]
    predictive: tuple[Predictive, ...]


# --- the methods --------------------------------------------------------------------------
def drift(series: Series, at: Sequence[float]) -> list[Predictive]:
    """A random walk with drift; at least two values (three for an interval)."""
    t, y = np.asarray(series.times), np.asarray(series.values)
    span = t[-1] - t[0]
    c = (y[-1] - y[0]) / span
    dof = len(y) - 2
    sigma2 = math.inf
    if dof > 0:
        dt_, dy = np.diff(t), np.diff(y)
        sigma2 = float(np.sum((dy - c * dt_) ** 2 / dt_)) / dof
    freedom = float(dof) if dof > 0 else None
    out = []
    for x in at:
        h = x - t[-1]
        var = sigma2 * (h + h * h / span) if math.isfinite(sigma2) else math.inf
        out.append(Predictive(float(y[-1] + c * h), math.sqrt(var), freedom))
    return out


def linear(series: Series, at: Sequence[float]) -> list[Predictive]:
    """An OLS line through all values; at least two values (three for an interval)."""
    t, y = np.asarray(series.times), np.asarray(series.values)
    n = len(y)
    t_mean = float(t.mean())
    sxx = float(np.sum((t - t_mean) ** 2))
    b = float(np.sum((t - t_mean) * (y - y.mean()))) / sxx
    a = float(y.mean()) - b * t_mean
    dof = n - 2
    s2 = float(np.sum((y - (a + b * t)) ** 2)) / dof if dof > 0 else math.inf
    freedom = float(dof) if dof > 0 else None
    out = []
    for x in at:
        factor = 1 + 1 / n + (x - t_mean) ** 2 / sxx
        scale = math.sqrt(s2 * factor) if math.isfinite(s2) else math.inf
        out.append(Predictive(a + b * x, scale, freedom))
    return out


@functools.lru_cache(maxsize=64)
def _holt_fit(values: tuple[float, ...]) -> Any:
    """Holt's damped trend fitted to ``values`` (statsmodels' results), kept: the next
    forecast's back-test fits the same first values again, and what a fit predicts a number
    of steps ahead does not depend on how far ahead it is asked. Its warnings are the
    caller's to silence; a fit that fails raises, and is not kept."""
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(
        # a pandas Series: get_prediction labels its rows with the data's index
        pd.Series(values, dtype=float),
        error="add",
        trend="add",
        damped_trend=True,
    )
    return model.fit(disp=False)


_PREDICTING = threading.Lock()  # a kept fit predicts for one caller at a time


def holt_damped(series: Series, at: Sequence[float]) -> list[Predictive]:
    """Holt's damped trend (statsmodels ETS, additive errors) on a regular series.

    Raises:
        ValueError: the model cannot be fitted (statsmodels' own errors, a singular matrix,
            or a result that is not finite).
    """
    step = series.step
    steps = [max(1, round((x - series.times[-1]) / step)) for x in at]
    try:
        with warnings.catch_warnings():
            # convergence notes from the optimizer on short series: the back-test judges
            warnings.simplefilter("ignore")
            fit = _holt_fit(series.values)
            n = len(series)
            with _PREDICTING:
                frame = fit.get_prediction(start=n, end=n + max(steps) - 1)
                means = np.asarray(frame.predicted_mean, dtype=float)
                variances = np.asarray(frame.var_pred_mean, dtype=float)
    except (ValueError, np.linalg.LinAlgError) as exc:
        raise ValueError(f"Holt's damped trend could not be fitted: {exc}") from exc
    out = []
    for h in steps:
        mean, var = float(means[h - 1]), float(variances[h - 1])
        if not (math.isfinite(mean) and math.isfinite(var)) or var < 0:
            raise ValueError("Holt's damped trend gave a value that is not finite")
        out.append(Predictive(mean, math.sqrt(var)))
    return out


METHODS: dict[Method, Callable[[Series, Sequence[float]], list[Predictive]]] = {
    Method.DRIFT: drift,
    Method.LINEAR: linear,
    Method.HOLT_DAMPED: holt_damped,
}
# The fewest values a method is fitted on in the back-test.
MIN_TRAIN = {Method.DRIFT: 2, Method.LINEAR: 2, Method.HOLT_DAMPED: HOLT_MIN_TRAIN}


# --- choosing -----------------------------------------------------------------------------
def candidates(series: Series) -> tuple[Method, ...]:
    """The methods a series is long and regular enough for, simplest first."""
    out = [Method.DRIFT, Method.LINEAR]
    if len(series) >= HOLT_MIN_POINTS and series.regular:
        out.append(Method.HOLT_DAMPED)
    return tuple(out)


@dataclass(frozen=True)
class Backtest:
    """A method's rolling-origin back-test: the mean absolute error and its standard error."""

    method: Method
    mae: float
    se: float


def backtest(
    series: Series, method: Method, *, horizon: float, first_origin: int
) -> Backtest | None:
    """``method``'s absolute errors over rolling origins, up to ``horizon`` months ahead.

    At each origin ``k`` (the latest ``BACKTEST_ORIGINS`` from ``first_origin`` on) the
    method is fitted on the first ``k`` values and judged on the later values within
    ``horizon`` months of the ``k``-th (always at least the next one). Each origin's mean
    absolute error counts once; the standard error is theirs across origins. None when the
    method fails at some origin.
    """
    per_origin: list[float] = []
    n = len(series)
    for k in range(max(first_origin, n - BACKTEST_ORIGINS), n):
        last = series.times[k - 1]
        ahead = [j for j in range(k, n) if j == k or series.times[j] - last <= horizon + _TINY]
        try:
            predicted = METHODS[method](series.head(k), [series.times[j] for j in ahead])
        except ValueError:
            return None
        errors = [abs(series.values[j] - p.mean) for j, p in zip(ahead, predicted, strict=True)]
        per_origin.append(sum(errors) / len(errors))
    if not per_origin:
        return None
    m = len(per_origin)
    mae = sum(per_origin) / m
    se = math.sqrt(sum((e - mae) ** 2 for e in per_origin) / (m - 1) / m) if m > 1 else 0.0
    return Backtest(method, mae, se)


def choose_method(series: Series, *, horizon: float, exclude: Sequence[Method] = ()) -> Method:
    """The simplest candidate whose back-test error is within one standard error of the best.

    The one-standard-error rule (Hastie, Tibshirani & Friedman, «The Elements of Statistical
    Learning», §7.10): a more elaborate method must beat the simpler ones by more than the
    back-test's own noise. The mean absolute error ranks methods within one series as the
    percentage error does, and stays defined when a value is zero.

    Raises:
        ValueError: fewer than three values.
    """
    if len(series) < 3:
        raise ValueError("choosing a method needs at least three values")
    options = [m for m in candidates(series) if m not in exclude]
    first = max(MIN_TRAIN[m] for m in options)
    tests = [t for m in options if (t := backtest(series, m, horizon=horizon, first_origin=first))]
    if not tests:
        return options[0]
    best = min(tests, key=lambda t: t.mae)
    bar = best.mae + best.se + _TINY * max(1.0, best.mae)
    return next(t.method for t in tests if t.mae <= bar)


def spread_floor(series: Series, at: float) -> float:
    """The least scale a projection ``at`` a time after the series may have.

    A method fitted exactly (a straight line, a constant) or on three values has no spread
    of its own worth the name: its interval would be a point and its probabilities 0 or 1.
    The floor comes from the series' own scale (the ``FLOOR_*`` and ``LEVEL_SHARE``
    constants above), per step, times the square root of the steps ahead (at least one).
    """
    y = series.values
    steps = max(1.0, (at - series.times[-1]) / series.step)
    level = LEVEL_SHARE * sum(abs(v) for v in y) / len(y)
    change = 0.0
    if len(y) < FLOOR_POINTS:
        change = (
            FLOOR_SHARE * sum(abs(b - a) for a, b in zip(y, y[1:], strict=False)) / (len(y) - 1)
        )
    return max(level, change) * math.sqrt(steps)


def _floored(
    series: Series, at: Sequence[float], found: Sequence[Predictive]
) -> tuple[Predictive, ...]:
    """``found``, each replaced by the normal of scale ``spread_floor`` where that is wider
    (a degenerate fit's own degrees of freedom say nothing of the floor)."""
    z = NormalDist().inv_cdf(0.9)
    out = []
    for x, p in zip(at, found, strict=True):
        floor = spread_floor(series, x)
        narrow = p.quantile(0.9) - p.mean < z * floor
        out.append(Predictive(p.mean, floor) if narrow else p)
    return tuple(out)


def project(series: Series, at: Sequence[float]) -> Projection:
    """The chosen method's predictive distributions at the times ``at`` (after the series),
    each no narrower than its ``spread_floor``.

    Raises:
        ValueError: fewer than three values, or a time not after the last value.
    """
    if not at or min(at) <= series.times[-1]:
        raise ValueError("projections are for times after the last value")
    horizon = max(at) - series.times[-1]
    method = choose_method(series, horizon=horizon)
    if method is Method.HOLT_DAMPED:
        try:
            return Projection(method, tuple(at), _floored(series, at, holt_damped(series, at)))
        except ValueError:  # fitted at every origin but not on the whole series
            method = choose_method(series, horizon=horizon, exclude=[Method.HOLT_DAMPED])
    return Projection(method, tuple(at), _floored(series, at, METHODS[method](series, at)))
