"""What every benchmark shares: the machine it ran on, a timer, and the results table."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from roadmap.forecast.early_warning import History
from roadmap.program.contacts import load_contacts
from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program
from services.runtime import Runtime
from services.settings import Settings
from simulation.behaviour import Profile
from simulation.engine import Simulation, simulation_runtime
from storage.contacts import replace_contacts
from storage.db import open_database, session_scope
from storage.forecast_inputs import indicator_histories
from storage.sync import sync_program

ZONE = ZoneInfo("Asia/Krasnoyarsk")
CONTACTS = Path(__file__).resolve().parent.parent / "examples" / "contacts.example.yaml"


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        mem_kb = int(f.readline().split()[1])
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kb / 2**20:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def best(fn: Callable[[], Any], repeat: int = 5) -> float:
    """The best of ``repeat`` wall-clock timings of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def median(values: list[float]) -> float:
    return statistics.median(values)


def program() -> Program:
    return load_program(DEFAULT_PROGRAM)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), ZONE).astimezone(dt.UTC)


def synced_database(url: str) -> Engine:
    """A database at ``url`` with the program synced and the example contacts, 9 January 2025."""
    prog, when = program(), at(dt.date(2025, 1, 9), 8)
    engine = open_database(url)
    with session_scope(engine) as s:
        sync_program(session=s, program=prog, at=when)
        replace_contacts(session=s, program_id=prog.id, specs=load_contacts(CONTACTS, prog),
                         by="bench", at=when)  # fmt: skip
    return engine


@dataclass
class Figure:
    bench: str
    what: str
    value: str
    target: str = ""
    ok: bool | None = None


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)

    def add(
        self, bench: str, what: str, value: str, target: str = "", ok: bool | None = None
    ) -> None:
        fig = Figure(bench, what, value, target, ok)
        self.figures.append(fig)
        mark = "" if ok is None else (" ✓" if ok else " ✗ MISSED")
        print(f"  {what}: {value}" + (f"  (target {target}){mark}" if target else ""), flush=True)

    def markdown(self) -> str:
        rows = ["| Benchmark | Figure | Value | Target |", "|---|---|---|---|"]
        for f in self.figures:
            verdict = "" if f.ok is None else (" ✓" if f.ok else " ✗")
            rows.append(f"| {f.bench} | {f.what} | {f.value} | {f.target}{verdict} |")
        return "\n".join(rows)


def write_latest(results: Results, started: dt.datetime, names: list[str]) -> Path:
    path = Path(__file__).parent / "latest.md"
    path.write_text(
        f"Made by `{' '.join(['bash bench/run.sh', *names])}` on {started:%Y-%m-%d}\n"
        f"on {machine()}.\n\n{results.markdown()}\n",
        encoding="utf-8",
    )
    return path


def simulated_headcount(
    prog: Program, profile: Profile, seed: int, workdir: Path, end: dt.date
) -> tuple[Runtime, History]:
    """Run the simulation from January 2025 to ``end`` for its values alone (no sweep, no
    report files) and read back the monitored headcount's history as the forecast reads it.
    The caller disposes of the runtime's engine."""
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
    return rt, history
