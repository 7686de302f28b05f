"""3. The two-year simulation of the Krasnoyarsk program, and the cost of the Prefect path.

The simulation runs as ``roadmap simulate --out`` does (default profile, reports written).
The Prefect path: the same working days swept once by calling ``run_sweep`` (the engine call)
and once through a real flow run of ``daily_sweep`` against a local Prefect test server, on
two databases in the same state; the figure is the ratio of the totals.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from bench.common import CONTACTS, Results, at, program, synced_database
from roadmap.dates.workdays import get_calendar
from roadmap.program.contacts import load_contacts
from services.forecast import MEMO
from services.settings import Settings
from services.sweep import run_sweep
from simulation.behaviour import load_profile
from simulation.engine import Simulation, simulation_runtime

DAYS = [dt.date(2025, 1, 9), dt.date(2025, 1, 10), dt.date(2025, 1, 13), dt.date(2025, 1, 14),
        dt.date(2025, 1, 15), dt.date(2025, 1, 16), dt.date(2025, 1, 17)]  # fmt: skip


def _simulation(results: Results) -> None:
    prog = program()
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        rt = simulation_runtime(Settings(), prog, Path(tmp))
        sim = Simulation(
            rt,
            profile=load_profile(None),
            seed=1,
            start=dt.date(2025, 1, 1),
            end=dt.date(2026, 12, 31),
            contacts=load_contacts(CONTACTS, prog),
        )
        MEMO.clear()
        t = time.perf_counter()
        result = sim.run()
        elapsed = time.perf_counter() - t
        rt.engine.dispose()
    s = result.summary
    results.add("simulate", f"two years, 730 days ({s['submissions']} submissions, "
                f"{len(s['messages'])} messages, {len(sim.reports)} report files)",
                f"{elapsed:.1f} s", "< 60 s", elapsed < 60)  # fmt: skip
    asked = MEMO.computed + MEMO.reused
    results.add("simulate", "forecasts fitted in the two years / asked for",
                f"{MEMO.computed} / {asked}")  # fmt: skip


def _prefect_path(results: Results) -> None:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows.sweep import daily_sweep
    from services import runtime as services_runtime

    prog, cal = program(), get_calendar("RU")
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        direct_home, flow_home = Path(tmp) / "direct", Path(tmp) / "flow"
        engine = synced_database(f"sqlite:///{direct_home}/roadmap.db")
        synced_database(f"sqlite:///{flow_home}/roadmap.db").dispose()
        from notifications.delivery import FileTransport, Transports

        transports = Transports(files=FileTransport(direct_home / "outbox", "roadmap@localhost"))
        direct = []
        for day in DAYS:
            t = time.perf_counter()
            run_sweep(engine=engine, program=prog, as_of=day, now=at(day), calendar=cal,
                      transports=transports)  # fmt: skip
            direct.append(time.perf_counter() - t)
        engine.dispose()
        os.environ.update(
            {"ROADMAP_HOME": str(flow_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        )
        for var in ("ROADMAP_DATABASE_URL", "ROADMAP_SMTP_URL", "ROADMAP_TELEGRAM_BOT_TOKEN"):
            os.environ.pop(var, None)
        services_runtime.reset()
        t = time.perf_counter()
        with (
            prefect_test_harness(server_startup_timeout=120),
            temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
        ):
            started = time.perf_counter() - t
            through = []
            for day in DAYS:
                t = time.perf_counter()
                daily_sweep(as_of=day.isoformat())
                through.append(time.perf_counter() - t)
        services_runtime.reset()
    d, f = sum(direct), sum(through)
    results.add("simulate", "7 working days of January 2025 swept by the engine call",
                f"{d * 1000:.0f} ms")  # fmt: skip
    results.add("simulate", "the same 7 days as Prefect flow runs (heartbeats off)",
                f"{f * 1000:.0f} ms = {f / d:.1f}× the engine call")  # fmt: skip
    results.add("simulate", "Prefect test server start (once)", f"{started:.1f} s")


def run(results: Results) -> None:
    _simulation(results)
    _prefect_path(results)
