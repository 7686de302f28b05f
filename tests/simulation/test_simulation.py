"""The simulation: seeded and repeatable, the inline profiles behave as named, and the command
refuses bad input before it writes anything."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from scripts.update_golden import SIMULATION as GOLDEN
from scripts.update_golden import SIMULATION_ARGS, simulation_manifest
from services.settings import Settings
from simulation.behaviour import DEFAULT_PROFILE, load_profile
from simulation.engine import Simulation, SimulationResult, simulation_runtime
from storage.inspection import INSPECTORS
from tests.fixtures import CONTACTS

runner = CliRunner()


def simulate(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["simulate", "--contacts", str(CONTACTS), *args], env={"COLUMNS": "200"})
    return r.exit_code, r.stdout, r.stderr


def run(program: Program, tmp_path: Path, behaviour: str, end: str) -> SimulationResult:
    rt = simulation_runtime(Settings(), program, tmp_path)
    try:
        return Simulation(
            rt,
            profile=load_profile(behaviour),
            seed=1,
            start=dt.date(2025, 1, 1),
            end=dt.date.fromisoformat(end),
            contacts=load_contacts(CONTACTS, program),
            write_reports=False,
        ).run()
    finally:
        rt.engine.dispose()


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "simulation.db"
    }


def test_same_seed_same_bytes_and_another_seed_differs(home: Path, tmp_path: Path) -> None:
    span = SIMULATION_ARGS[:4]  # takes in the H1 consolidated report
    a, b = tmp_path / "a", tmp_path / "b"
    code_a, out_a, err = simulate(*span, "--seed", "5", "--json", "--out", str(a))
    assert code_a == 0, err
    code_b, out_b, _ = simulate(*span, "--seed", "5", "--json", "--out", str(b))
    assert code_b == 0
    assert out_a == out_b
    fa, fb = files(a), files(b)
    assert fa == fb
    assert any(name.endswith(".docx") for name in fa) and any(".eml" in n for n in fa)
    summary = json.loads(out_a)
    assert json.loads(fa["summary.json"]) == summary
    assert summary["submissions"] > 0 and summary["returned_for_rework"] > 0
    message = summary["messages"][0]
    assert set(message) == {"date", "obligation", "activity", "period", "step",
                            "recipient_org", "recipient_role", "channel"}  # fmt: skip
    # and the same as the reviewed run (the seeded outputs change only on purpose)
    manifest = simulation_manifest(a, out_a)
    golden = json.loads(GOLDEN.read_text("utf-8"))
    changed = sorted(
        name
        for name in manifest["files"].keys() | golden["files"].keys()
        if manifest["files"].get(name) != golden["files"].get(name)
    )
    assert (manifest["summary"] == golden["summary"], changed) == (True, []), (
        "run `python scripts/update_golden.py` and review what changed"
    )
    code_c, out_c, _ = simulate(*span, "--seed", "6", "--json")
    assert code_c == 0
    assert json.loads(out_c)["messages"] != summary["messages"]


def test_never_escalates_to_the_top_and_on_time_never_escalates(
    program: Program, tmp_path: Path
) -> None:
    never = run(program, tmp_path / "never", "never", "2025-06-30").summary
    assert never["submissions"] == 0
    assert set(never["obligations"]) <= {"outstanding", "not_due_yet"}
    assert never["escalations"]["3"] > 0
    assert all(p["actual"] is None for p in never["headcount"])

    started = INSPECTORS.started
    on_time = run(program, tmp_path / "on-time", "on-time", "2025-06-30").summary
    # every document handed in was opened in a child of one inspecting process (kept)
    assert on_time["submissions"] > 10 and INSPECTORS.started - started <= 1
    assert on_time["obligations"].get("late", 0) == 0
    assert on_time["obligations"].get("outstanding", 0) == 0
    assert on_time["obligations"]["on_time"] > 0
    assert on_time["returned_for_rework"] == 0
    assert not {"overdue", "escalate-1", "escalate-2", "escalate-3"} & set(
        on_time["messages_by_step"]
    )
    assert sum(e for e in on_time["escalations"].values()) == 0


def test_a_non_empty_out_folder_is_refused(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("моё")
    code, _, err = simulate("--to", "2025-01-31", "--out", str(out))
    assert code != 0 and "не пуста" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("default: {on_time: 0.5, late: 0.1, never: 0.1}\n", "default", "должно быть 1"),
        ("default: {on_tme: 1}\n", ":1: default.on_tme", "неизвестное поле"),
        ("organizations:\n  minsoc: {late: 2}\n", ":2: organizations.minsoc.late", "не больше 1"),
        ("default: [1, 2\n", "", "ошибка синтаксиса YAML"),
    ],
)
def test_a_bad_behaviour_file_is_located(
    home: Path, tmp_path: Path, text: str, where: str, what: str
) -> None:
    bad = tmp_path / "behaviour.yaml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = simulate("--to", "2025-01-31", "--behaviour", str(bad), "--out", str(out))
    assert code != 0
    assert str(bad) in err and where in err and what in err
    assert not out.exists()


def test_bad_dates_and_a_missing_profile_are_refused(home: Path, tmp_path: Path) -> None:
    code, _, err = simulate("--from", "2025-03-01", "--to", "2025-02-01")
    assert code != 0 and "--to раньше --from" in err
    code, _, err = simulate("--from", "2025-02-30")
    assert code != 0 and "--from" in err
    code, _, err = simulate("--behaviour", str(tmp_path / "нет.yaml"))
    assert code != 0 and "не найдены" in err


def test_the_headcount_profiles_miss_and_meet_the_end_target() -> None:
    # a steady fall per month, as a share of 2 211, drawn once per seed; 24 months to the end
    behind = load_profile(DEFAULT_PROFILE.parent / "headcount-behind.yaml").indicators
    on_plan = load_profile(DEFAULT_PROFILE.parent / "headcount-on-plan.yaml").indicators
    for seed in range(1, 21):
        slow, enough = behind.headcount_rate(seed), on_plan.headcount_rate(seed)
        assert slow is not None and enough is not None
        assert 2211 * (1 + 24 * slow) > 1658 >= 2211 * (1 + 24 * enough)
        assert behind.headcount_rate(seed) == slow  # the same seed, the same course
    assert load_profile(None).indicators.headcount_rate(1) is None  # the plan's trajectory
