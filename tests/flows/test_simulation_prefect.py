"""The simulation's engine path and real Prefect flow runs of the daily sweep send the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from flows.sweep import daily_sweep
from roadmap.dates.workdays import get_calendar
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from services import runtime as services_runtime
from services.settings import Settings
from simulation.behaviour import load_profile
from simulation.engine import Simulation, simulation_runtime
from tests.fixtures import CONTACTS

START, END = dt.date(2025, 1, 1), dt.date(2025, 1, 17)  # seven working days from 9 January


def simulation(program: Program, workdir: Path, **kw: Any) -> Simulation:
    workdir.mkdir(parents=True, exist_ok=True)
    return Simulation(
        simulation_runtime(Settings(), program, workdir),
        profile=load_profile(None),
        seed=11,
        start=START,
        end=END,
        contacts=load_contacts(CONTACTS, program),
        write_reports=False,
        **kw,
    )


def outbox(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_prefect_path_sends_what_the_engine_path_sends(
    program: Program, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_server: str
) -> None:
    engine_path = simulation(program, tmp_path / "engine")
    direct = engine_path.run()
    engine_path.rt.engine.dispose()

    through = tmp_path / "prefect"
    monkeypatch.setenv("ROADMAP_HOME", str(through))
    monkeypatch.setenv("ROADMAP_OUTBOX_DIR", str(through / "outbox"))
    monkeypatch.setenv("ROADMAP_PREFECT_API_URL", prefect_server)
    # the flows read the simulation's own database
    monkeypatch.setenv("ROADMAP_DATABASE_URL", f"sqlite:///{(through / 'simulation.db').resolve()}")
    for var in ("ROADMAP_SMTP_URL", "ROADMAP_TELEGRAM_BOT_TOKEN", "ROADMAP_PUBLIC_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    services_runtime.reset()
    runs: list[dict[str, Any]] = []

    def sweep_flow(rt: Any, *, as_of: dt.date, **_: Any) -> dict[str, Any]:
        runs.append(daily_sweep(as_of=as_of.isoformat()))
        return runs[-1]

    flow_path = simulation(program, through, sweep=sweep_flow)
    try:
        served = flow_path.run()
    finally:
        flow_path.rt.engine.dispose()
        services_runtime.reset()

    assert [r["as_of"] for r in runs] == [
        d.date.isoformat()
        for d in direct.days
        if get_calendar(program.calendar).is_working_day(d.date)
    ]
    assert direct.summary["messages"], "the stretch must send something to compare"
    assert served.summary["messages"] == direct.summary["messages"]
    assert served.summary == direct.summary
    assert outbox(through / "outbox") == outbox(tmp_path / "engine" / "outbox")
