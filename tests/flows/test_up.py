"""`roadmap up`: server, sync, deployments served; Ctrl-C stops everything it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.peers import free_port


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_up_serves_deployments_and_a_stop_signal_stops_everything(
    tmp_path: Path, stop: int
) -> None:
    port, intake_port = free_port(), free_port()
    env = {
        **os.environ,
        "ROADMAP_HOME": str(tmp_path / "home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "ROADMAP_INTAKE_PORT": str(intake_port),
    }
    env.pop("ROADMAP_DATABASE_URL", None)
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "up", "--port", str(port), "--limit", "2"],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,  # like a terminal: Ctrl-C goes to the whole process group
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}/api"
    try:
        end = time.monotonic() + 180
        count = None
        while time.monotonic() < end and count != 2:
            time.sleep(1)
            try:
                count = httpx.post(f"{api}/deployments/count", json={}, timeout=2).json()
            except httpx.HTTPError:
                pass
        assert count == 2
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
        # the intake page runs beside it: a link that is not one gets the Russian refusal
        end = time.monotonic() + 30
        page = None
        while page is None and time.monotonic() < end:
            try:
                page = httpx.get(f"http://127.0.0.1:{intake_port}/i/nonsense", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.5)
        assert (
            page is not None and page.status_code == 403 and "Ссылка недействительна" in page.text
        )
        os.killpg(proc.pid, stop)
        out, _ = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = out.decode()
    assert "Интерфейс Prefect: http://127.0.0.1:" in text and "Остановлено." in text
    assert "Traceback" not in text
    try:
        httpx.get(f"{api}/health", timeout=2)
        raise AssertionError("the Prefect server is still running")
    except httpx.HTTPError:
        pass
    try:
        httpx.get(f"http://127.0.0.1:{intake_port}/i/x", timeout=2)
        raise AssertionError("the intake page is still running")
    except httpx.HTTPError:
        pass
