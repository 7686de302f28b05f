"""Shared fixtures for every room's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program

pytest_plugins = ["tests.db", "tests.fixtures"]

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "003_b751f6892e4af96a.txt"

# The test files that take longest (servers, stacks, simulations, racing processes), the
# longest first. The test command hands whole files to its processes in collection order
# (`--dist loadfile --no-loadscope-reorder`): these go out first, so that no process is
# left running one of them alone at the end while the others have finished.
FIRST = (
    "tests/flows/test_up.py",
    "tests/flows/test_distributed.py",
    "tests/storage/test_transition_races.py",
    "tests/flows/test_faults_and_secrets.py",
    "tests/flows/test_lanes.py",
    "tests/flows/test_ui.py",
    "tests/simulation/test_simulation.py",
    "tests/flows/test_two_machines.py",
    "tests/cli/test_bad_regions.py",
    "tests/documents/test_reports.py",
    "tests/flows/test_region_stacks.py",
    "tests/cli/test_words.py",
    "tests/simulation/test_as_of.py",
    "tests/flows/test_regions.py",
    "tests/documents/test_figures_agree.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing = [f for f in FIRST if not (REPO / f).exists()]
    if missing:
        raise pytest.UsageError(f"tests/conftest.py FIRST names files that are gone: {missing}")
    rank = {f: n for n, f in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(FIRST)))


@pytest.fixture(scope="session")
def program() -> Program:
    return load_program(DEFAULT_PROGRAM)


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"the seed document is missing: {SEED} (CI puts ../shared beside the clone)")
    return SEED.read_text(encoding="utf-8")
