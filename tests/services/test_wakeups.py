"""Waking a waiting run through a Prefect API that answers without end: a local HTTP server
in Prefect's place answers the resume with 300 MB, or a byte a second."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from roadmap.obligations.keys import WaitKey
from services.wakeups import wake_waiting
from storage.db import session_scope
from storage.waits import register_wait
from tests.db import at
from tests.peers import free_port, misbehave

KEY = WaitKey.indicator("1.1", "2025-04")


@contextmanager
def prefect_answering(action: str) -> Iterator[tuple[str, list[str]]]:
    """A server in Prefect's place: every resume answered as ``action`` (``misbehave``)."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            asked.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            misbehave(self, action)

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/api", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("action", ["huge", "trickle"])
def test_a_resume_answered_without_end_is_given_up_within_bounds(
    engine: Engine, action: str
) -> None:
    with session_scope(engine) as s:
        register_wait(session=s, flow_run_id="run-1", keys=[KEY], at=at("2025-04-01"))
    with prefect_answering(action) as (api, asked):
        tracemalloc.start()
        try:
            woken = wake_waiting(
                engine=engine, keys=[KEY], api_url=api, at=at("2025-04-02"), total=3
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert asked == ["/api/flow_runs/run-1/resume"] and woken == []
    assert peak < 16 * 1024 * 1024, f"{peak / 2**20:.0f} MB held for one resume"
