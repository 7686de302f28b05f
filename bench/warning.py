"""7. The early warning in time: how long before the program's end it first warns, and how
often it warns for nothing, under the old rules and the new one.

Seeds: the two-year simulation (seeds 1–10) under two behaviour profiles whose 1.1 headcount
falls steadily from 2 211 (``roadmap/data/simulation/``): ``headcount-behind`` misses the
2026 target (its course ends at 1 760–1 999 against 1 658) and ``headcount-on-plan`` meets
it (1 494–1 654); whether a seed misses is its course at the program's end, the monthly
noise aside. Each seed's monthly headcount is read back from its database as the forecast
reads it. As of each month's 1st, with that month's value (the monthly monitoring's
moment), the forecast at the program's end is judged by three rules:

- **interval** (the first forecast's): risk only when the whole 80 % interval misses the
  target, from the sixth value on;
- **projection** (the first verdict on the projection): risk when the projection misses
  by more than the tolerance, 5 %, from the sixth value on, the letter the first month;
- **new** (the program's ``forecast`` rule): the verdict of
  ``roadmap.forecast.early_warning`` (from a year of values on; risk when the projection
  misses by more than the tolerance and reaching the target is unlikely), the letter when
  it has warned two months running (``alert_due``).

The first warning is the first month a rule warns (for the new rule, its letter); its lead
time is the months left from that month's 1st to the end of 2026. A false alarm is a seed
that meets the target and was warned at least once.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import Results, program, simulated_headcount
from roadmap.forecast.early_warning import (
    History,
    Risk,
    alert_due,
    forecast_indicator,
    reaches,
)
from roadmap.program.model import ForecastRule, Program
from simulation.behaviour import DEFAULT_PROFILE, Profile, load_profile

SEEDS = range(1, 11)
PROFILES = {"misses": "headcount-behind.yaml", "meets": "headcount-on-plan.yaml"}
FIRST = 6  # the fewest monthly values the earlier rules projected from
LEAD_TARGET = 9  # months before the end, on misses
FALSE_ALARMS_TARGET = 0.2  # of the seeds that meet the target
RULES = {
    "interval": "interval rule (the whole interval misses, from 6 values)",
    "projection": "projection rule (beyond the 5 % tolerance, from 6 values)",
    "new": "new rule (a year of values, unlikely to reach, two months running)",
}


@dataclass
class Seed:
    misses: bool
    first: dict[str, int | None]  # per rule: months left at the first warning, None: never


def months_left(day: dt.date, end: dt.date) -> int:
    """Whole months from ``day`` (a 1st) to the end of ``end``'s month."""
    return (end.year - day.year) * 12 + end.month - day.month + 1


def earlier_rules(prog: Program) -> Program:
    """``prog`` judged as the first verdict on the projection did: from six values, any miss
    beyond the tolerance a risk, the letter the first month."""
    rule = ForecastRule(
        tolerance=prog.forecast.tolerance,
        interval=prog.forecast.interval,
        risk_probability=None,
        min_monthly_values=FIRST,
        confirm_months=1,
    )
    return prog.model_copy(update={"forecast": rule})


def first_warnings(prog: Program, history: History, end: dt.date) -> dict[str, int | None]:
    """Per rule, the months left when it first warns at the program's end."""
    ind = prog.indicator_map[prog.monitoring.indicator if prog.monitoring else ""]
    before = earlier_rules(prog)
    found: dict[str, int | None] = dict.fromkeys(RULES)
    risks: list[Risk] = []
    for k in range(FIRST, len(history.observations) + 1):
        on = history.observations[k - 1].on
        seen = History(True, history.observations[:k])
        f = forecast_indicator(before, ind, seen, as_of=on, margin=0.05)
        new = forecast_indicator(prog, ind, seen, as_of=on, margin=0.05)
        if f.at_end is None:
            continue
        best = f.at_end.low if ind.direction == "down" else f.at_end.high
        risks.append(new.risk)
        warned = {
            "interval": not reaches(ind.direction, best, f.at_end.goal.value),
            "projection": f.risk.warns,
            "new": alert_due(risks, prog.forecast.confirm_months),
        }
        for rule, yes in warned.items():
            if yes and found[rule] is None:
                found[rule] = months_left(on, end)
    return found


def simulate(prog: Program, profile: Profile, seed: int, workdir: Path) -> History:
    rt, history = simulated_headcount(prog, profile, seed, workdir, dt.date(2026, 12, 31))
    rt.engine.dispose()
    return history


def run(results: Results) -> None:
    prog = program()
    ind = prog.indicator_map[prog.monitoring.indicator if prog.monitoring else ""]
    baseline, target = ind.baseline or 0.0, ind.targets[-1] or 0.0
    end = prog.checkpoints[-1].date
    seeds: list[Seed] = []
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        for name, file in PROFILES.items():
            profile = load_profile(DEFAULT_PROFILE.parent / file)
            for seed in SEEDS:
                rate = profile.indicators.headcount_rate(seed) or 0.0
                course = baseline * (1 + rate * 24)
                workdir = Path(tmp) / f"{name}-{seed}"
                workdir.mkdir()
                history = simulate(prog, profile, seed, workdir)
                first = first_warnings(prog, history, end)
                seeds.append(Seed(not reaches(ind.direction, course, target), first))
                shown = ", ".join(f"{r} {first[r]}" for r in RULES)
                print(f"  {name} seed {seed}: course {course:.0f}, {shown}", flush=True)
    for rule, what in RULES.items():
        add_rule(results, what, [s.first[rule] for s in seeds if s.misses], "lead")
        add_rule(results, what, [s.first[rule] for s in seeds if not s.misses], "alarms")


def add_rule(results: Results, what: str, firsts: list[int | None], kind: str) -> None:
    """One rule's figure: its lead time on the seeds that miss, or its false alarms on those
    that meet the target."""
    warned = [x for x in firsts if x is not None]
    if kind == "lead":
        spread = (
            f"median {statistics.median(warned):g}, {min(warned)}–{max(warned)} months"
            if warned
            else "never warned"
        )
        early = sum(1 for x in warned if x >= LEAD_TARGET)
        results.add(
            "warning",
            f"{what}: first warning before the end on {len(firsts)} seeds that miss "
            f"the 2026 target (warned {len(warned)})",
            f"{spread}; ≥ {LEAD_TARGET} months on {early} of {len(firsts)}",
            f"≥ {LEAD_TARGET} months on every miss",
            early == len(firsts),
        )
        return
    share = len(warned) / len(firsts) if firsts else 0.0
    results.add(
        "warning",
        f"{what}: false alarms on {len(firsts)} seeds that meet the target",
        f"{len(warned)} of {len(firsts)} = {share:.0%}",
        f"≤ {FALSE_ALARMS_TARGET:.0%}",
        share <= FALSE_ALARMS_TARGET,
    )
