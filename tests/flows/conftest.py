"""Flow tests: one Prefect test server per session (heartbeats off), a fresh ROADMAP_HOME per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import runtime
from roadmap.contacts import load_contacts
from roadmap.program import Program
from services import runtime as services_runtime
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.sync import sync_program
from tests.db import at
from tests.notifications.conftest import CONTACTS

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[str]:
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    with (
        prefect_test_harness(server_startup_timeout=120),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield str(PREFECT_API_URL.value())


def _clear() -> None:
    services_runtime.reset()


@pytest.fixture
def home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_server: str, program: Program
) -> Iterator[Path]:
    """A fresh ROADMAP_HOME with the program synced on 9 January 2025 and the example contacts."""
    monkeypatch.setenv("ROADMAP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ROADMAP_INPUT_TIMEOUT_MINUTES", "1")
    monkeypatch.setenv("ROADMAP_PREFECT_API_URL", prefect_server)
    for var in ("ROADMAP_DATABASE_URL", "ROADMAP_SMTP_URL", "ROADMAP_TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    _clear()
    with session_scope(runtime.rt().engine) as s:
        sync_program(session=s, program=program, at=at("2025-01-09", 8))
        replace_contacts(session=s, program_id=program.id, specs=load_contacts(CONTACTS, program),
                         by="test", at=at("2025-01-09", 8))  # fmt: skip
    yield tmp_path / "home"
    services_runtime.reset()
    _clear()
