"""7. The early warning in time: how long before the program's end it first warns, and how
often it warns for nothing, under the old rule and the new one.

Seeds: the two-year simulation (seeds 1–6) under two behaviour profiles whose 1.1 headcount
falls steadily from 2 211 (``roadmap/data/simulation/``): ``headcount-behind`` misses the
2026 target (its course ends at 1 760–1 999 against 1 658) and ``headcount-on-plan`` meets
it (1 494–1 654); whether a seed misses is its course at the program's end, the monthly
noise aside. Each seed's monthly headcount is read back from its database as the forecast
reads it. As of each month's 1st, with that month's value (the monthly monitoring's
moment) and from the sixth value on, the forecast at the program's end is judged by the
old rule (risk only when the whole 80 % interval misses the target) and by the new one
(``roadmap.forecast.early_warning.verdict``: risk when the projection misses by more than
the tolerance, 5 %). The first warning is the first month a rule says risk; its lead
time is the months left from that month's 1st to the end of 2026. A false alarm is a seed
that meets the target and was warned at least once.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import CONTACTS, Results, program
from roadmap.forecast.early_warning import History, forecast_indicator, reaches
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from services.settings import Settings
from simulation.behaviour import DEFAULT_PROFILE, Profile, load_profile
from simulation.engine import Simulation, simulation_runtime
from storage.db import session_scope
from storage.forecast_inputs import indicator_histories

SEEDS = range(1, 7)
PROFILES = {"misses": "headcount-behind.yaml", "meets": "headcount-on-plan.yaml"}
FIRST = 6  # the fewest monthly values the forecast projects from
LEAD_TARGET = 9  # months before the end, on misses
FALSE_ALARMS_TARGET = 0.2  # of the seeds that meet the target


@dataclass
class Seed:
    misses: bool
    old: int | None  # months left at the first warning, or None: never warned
    new: int | None


def months_left(day: dt.date, end: dt.date) -> int:
    """Whole months from ``day`` (a 1st) to the end of ``end``'s month."""
    return (end.year - day.year) * 12 + end.month - day.month + 1


def first_warnings(prog: Program, history: History, end: dt.date) -> tuple[int | None, ...]:
    """(old, new): the months left when each rule first says risk at the program's end."""
    ind = prog.indicator_map[prog.monitoring.indicator if prog.monitoring else ""]
    found: list[int | None] = [None, None]
    for k in range(FIRST, len(history.observations) + 1):
        on = history.observations[k - 1].on
        f = forecast_indicator(
            prog, ind, History(True, history.observations[:k]), as_of=on, margin=0.05
        )
        if f.at_end is None:
            continue
        o = f.at_end
        best = o.low if ind.direction == "down" else o.high
        old = not reaches(ind.direction, best, o.goal.value)
        for i, warned in enumerate((old, f.risk.warns)):
            if warned and found[i] is None:
                found[i] = months_left(on, end)
    return tuple(found)


def simulate(prog: Program, profile: Profile, seed: int, workdir: Path) -> History:
    end = dt.date(2026, 12, 31)
    rt = simulation_runtime(Settings(), prog, workdir)
    Simulation(
        rt,
        profile=profile,
        seed=seed,
        start=dt.date(2025, 1, 1),
        end=end,
        contacts=load_contacts(CONTACTS, prog),
        write_reports=False,
        sweep=lambda *_, **__: None,
    ).run()
    code = prog.monitoring.indicator if prog.monitoring else ""
    with session_scope(rt.engine) as s:
        history = indicator_histories(session=s, program=prog, as_of=end)[code]
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
                old, new = first_warnings(prog, history, end)
                seeds.append(Seed(not reaches(ind.direction, course, target), old, new))
                print(f"  {name} seed {seed}: course {course:.0f}, old {old}, new {new}")
    missed = [s for s in seeds if s.misses]
    met = [s for s in seeds if not s.misses]
    for rule in ("old", "new"):
        what = "old rule (the whole interval misses)" if rule == "old" else "new rule"
        leads = [getattr(s, rule) for s in missed]
        warned = [x for x in leads if x is not None]
        spread = (
            f"median {statistics.median(warned):g}, {min(warned)}–{max(warned)} months"
            if warned
            else "never warned"
        )
        early = sum(1 for x in warned if x >= LEAD_TARGET)
        results.add(
            "warning",
            f"{what}: first warning before the end on {len(missed)} seeds that miss "
            f"the 2026 target (warned {len(warned)})",
            f"{spread}; ≥ {LEAD_TARGET} months on {early} of {len(missed)}",
            f"≥ {LEAD_TARGET} months on every miss",
            early == len(missed),
        )
        alarms = sum(1 for s in met if getattr(s, rule) is not None)
        share = alarms / len(met) if met else 0.0
        results.add(
            "warning",
            f"{what}: false alarms on {len(met)} seeds that meet the target",
            f"{alarms} of {len(met)} = {share:.0%}",
            f"≤ {FALSE_ALARMS_TARGET:.0%}",
            share <= FALSE_ALARMS_TARGET,
        )
