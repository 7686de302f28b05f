"""3. The two-year simulation of the Krasnoyarsk program, and the cost of the Prefect path.

The simulation runs as ``roadmap simulate --out`` does (default profile, reports written).
Reference, in the same run: the same report files written again from the final database,
each as of its own date (the libraries already imported, the forecasts fitted anew): the
part of the two years no simulation can skip. A submitted file is inspected in a child
forked from the kept inspecting process; its reference is what each file cost before, a
Python start importing what a PDF's inspection imports.
The Prefect path: the same working days swept once by calling ``run_sweep`` (the engine call)
and once through a real flow run of ``daily_sweep`` against a local Prefect test server, on
two databases in the same state; the figure is the ratio of the totals.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CONTACTS, Results, at, best, program, synced_database
from roadmap.dates.workdays import get_calendar
from roadmap.forecast.projection import _holt_fit
from roadmap.program.contacts import load_contacts
from services import reports
from services.forecast import MEMO
from services.runtime import Runtime
from services.settings import Settings
from services.sweep import run_sweep
from simulation.behaviour import load_profile
from simulation.engine import Simulation, simulation_runtime
from simulation.engine import _pdf as simulated_pdf
from storage.inspection import INSPECTORS, inspect_evidence

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
        _fresh_forecasts()
        t, cpu = time.perf_counter(), time.process_time()
        result = sim.run()
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        asked = MEMO.computed + MEMO.reused
        fitted = f"{MEMO.computed} / {asked}"
        inspecting = _inspecting_cpu()
        again = _reports_again(rt, sim.reports, Path(tmp) / "again")
        rt.engine.dispose()
    s = result.summary
    what = (
        f"two years, 730 days ({s['submissions']} submissions, {len(s['messages'])} messages, "
        f"{len(sim.reports)} report files)"
    )
    value = f"{elapsed:.1f} s = {elapsed / again:.2f}× its report files alone"
    results.add("simulate", what, value, "< 10 s", elapsed < 10)
    what = "reference: the same report files written again from the final database"
    results.add("simulate", what, f"{again:.1f} s")
    what = "processor time of the two years: the simulation's process / the inspecting ones"
    results.add("simulate", what, f"{cpu:.1f} s / {inspecting:.1f} s")
    results.add("simulate", "forecasts fitted in the two years / asked for", fitted)


def _fresh_forecasts() -> None:
    """Nothing kept from an earlier forecast: the run fits what it needs."""
    MEMO.clear()
    _holt_fit.cache_clear()


def _inspecting_cpu() -> float:
    """The processor time of the inspecting processes and their children (ended first)."""
    INSPECTORS.close()
    done = os.times()
    return done.children_user + done.children_system


def _reports_again(rt: Runtime, paths: list[Path], out: Path) -> float:
    """Write the consolidated reports of ``paths`` again into ``out``, each as of its date;
    the seconds it took."""
    made = sorted({p.parent / p.name.split(".")[0] for p in paths if p.suffix == ".docx"})
    _fresh_forecasts()
    t = time.perf_counter()
    for stem in made:  # svodnyi-otchet-<period>-na-<date>
        label, day = stem.name.removeprefix("svodnyi-otchet-").rsplit("-na-", 1)
        period = rt.program.period_within(label)
        as_of = dt.date.fromisoformat(day)
        reports.consolidated_report(rt, as_of=as_of, period=period, out_dir=out / label)
    elapsed = time.perf_counter() - t
    assert sorted(p.name for p in out.rglob("*.*")) == sorted(p.name for p in paths)
    return elapsed


def _inspection(results: Results) -> None:
    """One evidence file inspected in a forked child, against a Python start per file."""
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        pdf = Path(tmp) / "акт.pdf"
        pdf.write_bytes(simulated_pdf("bench"))
        inspect_evidence(pdf, pdf.name)  # the inspecting process started and kept
        forked = best(lambda: inspect_evidence(pdf, pdf.name), repeat=20)
    # what a PDF's inspection imported in the child started for each file
    start = [sys.executable, "-P", "-c", "import storage.inspection, storage.file_types, pypdf"]
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent), "PATH": os.defpath}
    started = best(lambda: subprocess.run(start, env=env, check=True), repeat=5)
    value = (
        f"{forked * 1000:.0f} ms = {forked / started:.2f}× a Python start importing what a "
        f"PDF's inspection imports, each file's cost before ({started * 1000:.0f} ms)"
    )
    results.add("simulate", "a submitted file inspected in a child of the kept one", value)


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
    _inspection(results)
    _prefect_path(results)
