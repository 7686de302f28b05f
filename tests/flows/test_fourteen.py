"""Fourteen programs on one stack: every deployment named, zoned and registered once.

The programs are synthetic (the embedded program under each region's id, name and time
zone, ``tests/regions.py``); the benchmark registers all of them, this test the program-wide
ones (six a region) and the federal view.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from pathlib import Path

import httpx
import pytest

from flows.deployments import FEDERAL_FLOW, stack_specs
from flows.registration import register
from roadmap.dates.workdays import WorkCalendar, get_calendar
from roadmap.program.loader import load_program
from roadmap.program.model import Program
from tests.regions import FOURTEEN, synthetic_programs


@pytest.fixture(scope="module")
def fourteen(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Program, WorkCalendar]]:
    folders = synthetic_programs(tmp_path_factory.mktemp("fourteen"))
    return [(load_program(f), get_calendar()) for f in folders]


def test_fourteen_programs_make_1415_deployments_each_in_its_region(
    fourteen: list[tuple[Program, WorkCalendar]],
) -> None:
    specs = stack_specs(fourteen)
    assert len(specs) == 14 * 101 + 1
    assert len({s.name for s in specs}) == len(specs)
    by_region = Counter(s.tags[0] for s in specs if s.flow != FEDERAL_FLOW)
    assert by_region == {region: 101 for region, _, _ in FOURTEEN}
    zones = {(s.tags[0], s.timezone) for s in specs if s.flow != FEDERAL_FLOW}
    assert zones == {(region, zone) for region, _, zone in FOURTEEN}
    assert all(s.parameters["program"] == s.tags[1] for s in specs if s.flow != FEDERAL_FLOW)
    # the westernmost regions (Tver, Arkhangelsk: Moscow time) sweep at 09:00; the view, on
    # the Commissioner's Office's Moscow time, at 10:00
    federal = specs[-1]
    assert federal.flow == FEDERAL_FLOW and federal.timezone == "Europe/Moscow"
    assert federal.schedules[0].rrule.startswith("RDATE:20250109T100000,")
    assert "Хабаровский край" in federal.description


def test_fourteen_programs_register_once_and_again_only_what_changed(
    fourteen: list[tuple[Program, WorkCalendar]], prefect_server: str, tmp_path: Path
) -> None:
    wide = [s for s in stack_specs(fourteen) if "activity" not in s.parameters]
    assert len(wide) == 14 * 6 + 1
    state = tmp_path / "registered.json"
    first = asyncio.run(register(wide, state_file=state))
    assert (first.sent, first.kept) == (85, 0)
    again = asyncio.run(register(wide, state_file=state))
    assert (again.sent, again.kept) == (0, 85) and again.ids == first.ids
    # one region's data changes: only its six deployments go to the server again
    perm = "Пермский край"
    changed = [
        dataclasses.replace(s, description=s.description + " (изменено)")
        if s.tags[0] == perm
        else s
        for s in wide
    ]
    third = asyncio.run(register(changed, state_file=state))
    assert (third.sent, third.kept) == (6, 79)
    found = httpx.post(
        f"{prefect_server}/deployments/filter",
        json={"deployments": {"tags": {"all_": [perm]}}, "limit": 50},
        timeout=30,
    ).json()
    assert len(found) == 6 and all(d["description"].endswith("(изменено)") for d in found)
    zones = {s["schedule"]["timezone"] for d in found for s in d["schedules"]}
    assert zones == {"Asia/Yekaterinburg"}
