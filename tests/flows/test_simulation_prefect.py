"""The simulation's engine path and real Prefect flow runs of the daily sweep send the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from flows import runtime
from flows.simulation import Simulation
from flows.sweep import daily_sweep
from roadmap.behaviour import load_profile
from roadmap.contacts import load_contacts
from roadmap.program import Program
from roadmap.settings import get_settings
from roadmap.workdays import get_calendar
from storage.db import open_database
from tests.fixtures import CONTACTS

START, END = dt.date(2025, 1, 1), dt.date(2025, 1, 17)  # seven working days from 9 January


def simulation(program: Program, engine: Any, workdir: Path, **kw: Any) -> Simulation:
    return Simulation(
        engine=engine, program=program, calendar=get_calendar(program.calendar),
        profile=load_profile(None), seed=11, start=START, end=END,
        contacts=load_contacts(CONTACTS, program), workdir=workdir, write_reports=False, **kw,
    )  # fmt: skip


def outbox(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_prefect_path_sends_what_the_engine_path_sends(
    program: Program, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_server: str
) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'engine.db'}")
    direct = simulation(program, engine, tmp_path / "engine").run()
    engine.dispose()

    through = tmp_path / "prefect"
    monkeypatch.setenv("ROADMAP_HOME", str(through))
    monkeypatch.setenv("ROADMAP_OUTBOX_DIR", str(through / "outbox"))
    monkeypatch.setenv("ROADMAP_PREFECT_API_URL", prefect_server)
    for var in ("ROADMAP_DATABASE_URL", "ROADMAP_SMTP_URL", "ROADMAP_TELEGRAM_BOT_TOKEN",
                "ROADMAP_PUBLIC_BASE_URL"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear(), runtime.engine.cache_clear(), runtime.program.cache_clear()
    runs: list[dict[str, Any]] = []

    def sweep_flow(*, as_of: dt.date, **_: Any) -> dict[str, Any]:
        runs.append(daily_sweep(as_of=as_of.isoformat()))
        return runs[-1]

    try:
        served = simulation(program, runtime.engine(), through, sweep=sweep_flow).run()
    finally:
        runtime.engine().dispose()
        get_settings.cache_clear(), runtime.engine.cache_clear(), runtime.program.cache_clear()

    assert [r["as_of"] for r in runs] == [
        d.date.isoformat()
        for d in direct.days
        if get_calendar(program.calendar).is_working_day(d.date)
    ]
    assert direct.summary["messages"], "the stretch must send something to compare"
    assert served.summary["messages"] == direct.summary["messages"]
    assert served.summary == direct.summary
    assert outbox(through / "outbox") == outbox(tmp_path / "engine" / "outbox")
