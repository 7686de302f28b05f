"""Flow tests: one Prefect server with its UI per session (heartbeats off in this process), a
fresh ROADMAP_HOME per test."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows import runtime
from roadmap.program.contacts import load_contacts
from roadmap.program.model import Program
from services import runtime as services_runtime
from storage.contacts import replace_contacts
from storage.db import session_scope
from storage.sync import sync_program
from tests.conftest import REPO
from tests.db import at
from tests.notifications.conftest import CONTACTS
from tests.peers import free_port, running_server, seed_prefect_home

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Prefect server on a new SQLite database, with the UI (Prefect's own test harness
    serves no UI), started as ``roadmap up`` starts it: behind the project's door
    (``flows.door``), so the UI test drives the UI through it; its address, e.g.
    http://127.0.0.1:4567."""
    home = seed_prefect_home(tmp_path_factory.mktemp("prefect"))
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"{url}/api",  # the UI asks the API there
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    port = url.rsplit(":", 1)[1]
    command = [sys.executable, "-m", "flows.door", "--host", "127.0.0.1"]
    with (home / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [*command, "--port", port], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    with running_server(server, url, "the Prefect server", home / "server.log"):
        yield url


@pytest.fixture(scope="session")
def prefect_server(prefect_ui: str) -> Iterator[str]:
    """The session's Prefect API, for flows run in this process (heartbeats off), threads too."""
    from prefect.context import _temporary_global_settings_context, get_settings_context
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    api = f"{prefect_ui}/api"
    with (
        temporary_settings(updates={PREFECT_API_URL: api, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
        # a flow run in a thread reads the process-wide settings (as Prefect's own harness)
        _temporary_global_settings_context(get_settings_context()),
    ):
        yield api
        # what the runs logged and emitted reaches the server before it stops; bounded: an
        # events worker still aimed at a server a test has stopped fails each item slowly
        workers = [*APILogWorker._instances.values(), *EventsWorker._instances.values()]
        APILogWorker.drain_all(timeout=10)
        EventsWorker.drain_all(timeout=10)
        for worker in workers:
            _drop_pending(worker)


def _drop_pending(worker: Any) -> None:
    """Drop what a stopped Prefect worker has not sent yet, so that its drain at interpreter
    exit ends after the item in hand instead of trying each of hundreds against a server
    that is gone (about 1.5 s each)."""
    while True:
        try:
            worker._queue.get_nowait()
        except queue.Empty:
            break
        worker._queue.task_done()
    worker._queue.put_nowait(None)  # the stop signal the drain had queued, taken with the rest


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
