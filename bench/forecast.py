"""6. The forecast's honesty: six-months-ahead errors and the 80 % interval's coverage.

Series: the 1.1 headcount of the two-year simulation (seeds 1–10, the default behaviour
profile; read back from its database as ``roadmap forecast`` reads it), and synthetic
monthly series of 24 values with a known trend and Gaussian noise: a straight trend, and
a flat start that turns into a trend after six months (the program's plan for 1.1 has
that shape). At every origin from the 6th value on (fewer is «недостаточно данных»), the
history so far is projected six months ahead by the chosen method (``roadmap.forecast.projection``,
the back-test included), by the naive forecast (the last value) and by drift; the figures
are the mean absolute percentage errors of the three over all origins (the naive and drift
baselines are the reference, in the same run), and the share of actual values inside the
chosen method's 80 % interval.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Results, best, program, simulated_headcount
from roadmap.forecast.early_warning import IndicatorForecast, interval
from roadmap.forecast.projection import Series, drift, month_time, project
from services.forecast import MEMO, forecast_program
from services.runtime import Runtime
from simulation.behaviour import load_profile

AHEAD = 6  # months
FIRST_ORIGIN = 6  # the fewest monthly values the forecast projects from
SEEDS = range(1, 11)
MONTHS = 24
SLOPES = (-0.02, -0.01, 0.0, 0.01)  # per month, as a share of the starting level
NOISES = (0.01, 0.03, 0.05)  # standard deviation, as a share of the starting level
REPEATS = 2


@dataclass
class Tally:
    """Errors and coverage over every (series, origin)."""

    chosen: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)
    drift: list[float] = field(default_factory=list)
    inside: int = 0
    methods: Counter[str] = field(default_factory=Counter)

    def add(self, values: list[float]) -> None:
        times = [float(i) for i in range(len(values))]
        for k in range(FIRST_ORIGIN, len(values) - AHEAD + 1):
            series = Series(tuple(times[:k]), tuple(values[:k]))
            at = [times[k - 1] + AHEAD]
            actual = values[k - 1 + AHEAD]
            proj = project(series, at)
            p = proj.predictive[0]
            low, high = interval(p)
            self.chosen.append(abs(max(0.0, p.mean) - actual) / actual)
            self.naive.append(abs(values[k - 1] - actual) / actual)
            self.drift.append(abs(drift(series, at)[0].mean - actual) / actual)
            self.inside += low <= actual <= high
            self.methods[proj.method.value] += 1

    def report(self, results: Results, what: str) -> None:
        n = len(self.chosen)
        chosen, naive, dr = (100 * sum(x) / n for x in (self.chosen, self.naive, self.drift))
        better = min(naive, dr)
        methods = ", ".join(f"{m} {c}" for m, c in self.methods.most_common())
        results.add(
            "forecast",
            f"{what}: MAPE six months ahead, naive / drift (reference)",
            f"{naive:.2f} % / {dr:.2f} %",
        )
        results.add(
            "forecast",
            f"{what}: MAPE of the chosen method ({n} projections: {methods})",
            f"{chosen:.2f} % = {chosen / better:.4f}× the better baseline",
            "≤ 1×",
            chosen <= better,
        )
        coverage = 100 * self.inside / n
        results.add(
            "forecast",
            f"{what}: actual values inside the 80 % interval",
            f"{coverage:.0f} %",
            "70–90 %",
            70 <= coverage <= 90,
        )


def _simulated(results: Results) -> list[list[float]]:
    """The 1.1 headcount of each seed's two-year simulation, as the forecast reads it."""
    prog, out = program(), []
    end = dt.date(2026, 12, 31)
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        for seed in SEEDS:
            workdir = Path(tmp) / f"seed-{seed}"
            workdir.mkdir()
            rt, history = simulated_headcount(prog, load_profile(None), seed, workdir, end)
            out.append([o.value for o in history.observations])
            if seed == SEEDS[0]:
                _time_the_call(results, rt, end)
            rt.engine.dispose()
    assert all(len(v) == MONTHS for v in out), [len(v) for v in out]
    return out


def _time_the_call(results: Results, rt: Runtime, as_of: dt.date) -> None:
    """``roadmap forecast``'s one call on a simulated database: read, choose, project; and
    a month of daily calls (the overview's) computed every day against kept while nothing
    changed."""

    def computed() -> list[IndicatorForecast]:
        MEMO.clear()
        return forecast_program(rt, as_of=as_of)

    found = computed()
    elapsed = best(computed, 3)
    projected = sum(1 for f in found if f.projected)
    results.add(
        "forecast",
        f"`roadmap forecast`'s call at the simulation's end ({len(found)} indicators, "
        f"{projected} projected)",
        f"{elapsed * 1000:.0f} ms",
    )
    month = [as_of - dt.timedelta(days=n) for n in range(30, -1, -1)]

    def daily(keep: bool) -> None:
        MEMO.clear()
        for day in month:
            if not keep:
                MEMO.clear()
            forecast_program(rt, as_of=day)

    every_day, kept = best(lambda: daily(False), 1), best(lambda: daily(True), 1)
    results.add(
        "forecast",
        f"the overview's forecast on each of {len(month)} days of December 2026, kept until "
        f"its inputs change ({MEMO.computed} computed), against computed every day",
        f"{kept * 1000:.0f} ms = {kept / every_day:.2f}× ({every_day * 1000:.0f} ms)",
    )


def _synthetic(shape: str) -> list[list[float]]:
    """Series of 24 months from 2 000 with each slope and noise level, seeded."""
    out = []
    for slope in SLOPES:
        for noise in NOISES:
            for r in range(REPEATS):
                rng = random.Random(f"{shape}:{slope}:{noise}:{r}")
                level, values = 2000.0, []
                for i in range(MONTHS):
                    months = i if shape == "trend" else max(0, i - 6)
                    values.append(level * (1 + slope * months + rng.gauss(0, noise)))
                out.append(values)
    return out


def run(results: Results) -> None:
    assert month_time(dt.date(2025, 1, 1)) + AHEAD == month_time(dt.date(2025, 7, 1))
    t = time.perf_counter()
    simulated = Tally()
    for values in _simulated(results):
        simulated.add(values)
    simulated.report(results, f"simulated 1.1 headcount ({len(SEEDS)} seeds)")
    for shape, what in (("trend", "synthetic trend + noise"), ("break", "synthetic flat → trend")):
        tally = Tally()
        series = _synthetic(shape)
        for values in series:
            tally.add(values)
        tally.report(results, f"{what} ({len(series)} series)")
    print(f"  ({time.perf_counter() - t:.0f} s in all)", flush=True)
