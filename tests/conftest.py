"""Shared fixtures for every room's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap.program.loader import DEFAULT_PROGRAM, load_program
from roadmap.program.model import Program

pytest_plugins = ["tests.db", "tests.fixtures"]

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "seeds" / "003_b751f6892e4af96a.txt"


@pytest.fixture(scope="session")
def program() -> Program:
    return load_program(DEFAULT_PROGRAM)


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"the seed document is missing: {SEED} (CI puts ../shared beside the clone)")
    return SEED.read_text(encoding="utf-8")
