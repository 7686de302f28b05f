"""Through real flow runs: sweeps missed while the Prefect server was down are caught up once,
and known secrets never reach the run's logs, artifacts, messages or files."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect import get_client

from flows import runtime
from flows.sweep import daily_sweep
from roadmap.program.model import Program
from storage.db import session_scope
from storage.outbox import outbox_items
from tests.faults.daily import AFTER_OUTAGE, recorded_steps, swept_every_day
from tests.flows.conftest import _clear
from tests.peers import free_port, running_server, seed_prefect_home

SMTP_PASSWORD = "S3cr3t-Pa55-smtp"
BOT_TOKEN = "987654:SECRET-bot-token-Zz9"
INTAKE_KEY = "intake-hmac-S3cret-key"


SWEEP_DAYS = (
    "import sys\n"
    "from flows.sweep import daily_sweep\n"
    "for day in sys.argv[1:]:\n"
    "    daily_sweep(as_of=day)\n"
)


@contextmanager
def own_prefect_server(prefect_home: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A Prefect server of this test's own (the session's is shared), on ``port``."""
    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "PREFECT_API_URL": ""}
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    with (prefect_home / "server.log").open("ab") as log:
        server = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    with running_server(server, url, "the Prefect server", prefect_home / "server.log"):
        yield server


def sweep_days(api: str, *days: str) -> subprocess.CompletedProcess[str]:
    """The daily sweep flow run for ``days`` in a process of its own, as a worker runs it."""
    env = {**os.environ, "PREFECT_API_URL": api, "ROADMAP_PREFECT_API_URL": api}
    command = [sys.executable, "-c", SWEEP_DAYS, *days]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def test_runs_missed_while_the_server_was_down_catch_up_every_reminder_once(
    home: Path, program: Program, tmp_path: Path
) -> None:
    """A real server of its own, stopped for three working days: the runs tried meanwhile
    fail without recording anything; once it is back, the missed days run late (after the
    day it came back on) and every reminder the daily runs would have recorded is there once.
    """
    prefect_home, port = seed_prefect_home(tmp_path / "prefect"), free_port()
    api = f"http://127.0.0.1:{port}/api"
    with own_prefect_server(prefect_home, port):
        pass  # the server has run: its database exists, then it is stopped
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{api}/health", timeout=2)
    for day in AFTER_OUTAGE[1:4]:  # the days it was down: a run cannot even begin
        tried = sweep_days(api, day)
        assert tried.returncode != 0, tried.stdout + tried.stderr
    assert not recorded_steps(runtime.rt().engine)
    with own_prefect_server(prefect_home, port):
        after = sweep_days(api, *AFTER_OUTAGE)
        assert after.returncode == 0, after.stdout + after.stderr
        runs = httpx.post(f"{api}/flow_runs/filter", json={}, timeout=10).json()
    caught_up = recorded_steps(runtime.rt().engine)
    assert caught_up and caught_up == swept_every_day(program, tmp_path / "daily.db")
    assert max(caught_up.values()) == 1
    completed = [r for r in runs if r["state_type"] == "COMPLETED"]
    assert len(completed) == len(AFTER_OUTAGE)  # every late run went through the server


def _logs_and_artifacts(run_id: Any) -> str:
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )

    async def read() -> str:
        async with get_client() as c:
            logs = await c.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))
            )
            arts = await c.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
            )
            run = await c.read_flow_run(run_id)
        return "\n".join([*(log.message for log in logs), *(str(a.data) for a in arts),
                          str(run.state.message if run.state else ""), str(run.parameters)])  # fmt: skip

    return asyncio.run(read())


def test_secrets_never_reach_logs_artifacts_messages_or_files(
    home: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    closed = free_port()  # the SMTP server and the Bot API are down: errors must not leak either
    monkeypatch.setenv(
        "ROADMAP_SMTP_URL", f"mailto://robot:{SMTP_PASSWORD}@127.0.0.1:{closed}?from=r@example.org"
    )
    monkeypatch.setenv("ROADMAP_TELEGRAM_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("ROADMAP_TELEGRAM_API_URL", f"http://127.0.0.1:{closed}/bot")
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", INTAKE_KEY)
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org")
    monkeypatch.setenv("ROADMAP_MAX_DELIVERY_ATTEMPTS", "2")
    _clear()
    texts = []
    for day in ("2025-01-09", "2025-01-10"):  # retried, then given up: the run fails
        state = daily_sweep(as_of=day, return_state=True)
        texts.append(_logs_and_artifacts(state.state_details.flow_run_id))
    assert state.is_failed()
    with session_scope(runtime.rt().engine) as s:
        items = outbox_items(session=s)
    assert any(i.state == "failed" and i.last_error for i in items)
    assert any("https://roadmap.example.org/i/" in i.body_text for i in items)
    for i in items:
        texts.append(" ".join(str(v) for v in i.model_dump().values()))
    for path in home.rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    out, err = capfd.readouterr()
    texts += [out, err]
    everything = "\n".join(texts)
    for secret in (SMTP_PASSWORD, BOT_TOKEN, BOT_TOKEN.split(":")[1], INTAKE_KEY):
        assert secret not in everything, f"{secret!r} leaked"
