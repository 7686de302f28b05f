"""8. The forecast from few values: coverage and width of the 80 % interval on 3, 4 and 5
checkpoint values.

Indicators other than the monthly headcount are forecast from their half-yearly checkpoint
values (30 June, 31 December), three at the least. Series: from 1 000 at 31 December 2022,
a known trend per half-year (−6 %, −3 %, 0, +3 % of the starting level) and Gaussian noise
(1 %, 3 %, 5 %), 40 seeded series for each pair; besides, the degenerate ones an auditor
meets in the program's data: straight lines and constants (no noise). Each series'
first ``n`` values are projected to the next checkpoint (six months ahead) with
``roadmap.forecast.projection.project`` (the method chosen by back-test, the spread's floor
included), measured at the checkpoint day's end as the early warning does; the figures are
the share of next values inside the 80 % interval, its mean width as a share of the level,
against the same methods without the floor (the reference, in the same run), and how many
intervals are a single point.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bench.common import Results
from roadmap.forecast.early_warning import interval
from roadmap.forecast.projection import METHODS, Series, checkpoint_time, choose_method, project

POINTS = (3, 4, 5)
SLOPES = (-0.06, -0.03, 0.0, 0.03)  # per half-year, as a share of the starting level
NOISES = (0.01, 0.03, 0.05)  # standard deviation, as a share of the starting level
REPEATS = 40
LEVEL = 1000.0
DATES = tuple(
    dt.date(2022 + (i + 1) // 2, 12 if i % 2 == 0 else 6, 31 if i % 2 == 0 else 30)
    for i in range(7)
)


@dataclass
class Tally:
    """Intervals one step ahead: how many held the next value, their widths, points."""

    inside: int = 0
    inside_raw: int = 0
    widths: float = 0.0
    widths_raw: float = 0.0
    points: int = 0
    points_raw: int = 0
    n: int = 0

    def add(self, values: list[float], k: int) -> None:
        times = tuple(checkpoint_time(d) for d in DATES[: k + 1])
        series = Series(times[:k], tuple(values[:k]))
        at, actual = [times[k]], values[k]
        low, high = interval(project(series, at).predictive[0])
        horizon = times[k] - times[k - 1]
        method = choose_method(series, horizon=horizon)
        raw_low, raw_high = interval(METHODS[method](series, at)[0])
        self.n += 1
        self.inside += low <= actual <= high
        self.inside_raw += raw_low <= actual <= raw_high
        self.widths += (high - low) / LEVEL
        self.widths_raw += (raw_high - raw_low) / LEVEL
        self.points += high - low <= 1e-9 * LEVEL
        self.points_raw += raw_high - raw_low <= 1e-9 * LEVEL


def _noisy() -> list[list[float]]:
    out = []
    for slope in SLOPES:
        for noise in NOISES:
            for r in range(REPEATS):
                rng = random.Random(f"fewpoints:{slope}:{noise}:{r}")
                out.append(
                    [LEVEL * (1 + slope * i + rng.gauss(0, noise)) for i in range(len(DATES))]
                )
    return out


def _degenerate() -> list[list[float]]:
    lines = [[LEVEL * (1 + s * i) for i in range(len(DATES))] for s in SLOPES]
    constants = [[v] * len(DATES) for v in (LEVEL, 49.0, 11.0)]
    return lines + constants


def run(results: Results) -> None:
    noisy, degenerate = _noisy(), _degenerate()
    for k in POINTS:
        tally, flat = Tally(), Tally()
        for values in noisy:
            tally.add(values, k)
        for values in degenerate:
            flat.add(values, k)
        coverage, raw = 100 * tally.inside / tally.n, 100 * tally.inside_raw / tally.n
        width, raw_width = 100 * tally.widths / tally.n, 100 * tally.widths_raw / tally.n
        results.add(
            "fewpoints",
            f"{k} values, {tally.n} noisy series: next value inside the 80 % interval "
            f"(without the floor)",
            f"{coverage:.0f} % ({raw:.0f} %)",
            "70–90 %",
            70 <= coverage <= 90,
        )
        results.add(
            "fewpoints",
            f"{k} values, {tally.n} noisy series: mean width of the interval, share of the level",
            f"{width:.1f} % = {width / raw_width:.2f}× without the floor",
        )
        results.add(
            "fewpoints",
            f"{k} values, {flat.n} straight or constant series: intervals that are a point "
            f"(without the floor)",
            f"{flat.points} ({flat.points_raw})",
            "0",
            flat.points == 0,
        )
