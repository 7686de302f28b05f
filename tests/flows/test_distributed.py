"""Past one machine: a Prefect server on PostgreSQL, `prefect deploy --all`, a process worker.

Also the check the environment notes ask for: with SQLAlchemy 2.1 the scheduler silently
creates no scheduled run, so this test waits until the server's own scheduler has created
scheduled runs from the generated prefect.yaml.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from tests.conftest import REPO
from tests.db import POSTGRES_URL, _admin_conninfo
from tests.notifications.conftest import CONTACTS
from tests.peers import free_port

PREFECT = [sys.executable, "-m", "prefect"]


def _wait(predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def test_postgres_server_deploy_all_scheduler_and_worker(tmp_path: Path) -> None:
    db = f"roadmap_prefect_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_API_DATABASE_CONNECTION_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "ROADMAP_HOME": str(tmp_path / "home"),
        "ROADMAP_QUIET_HOURS": "false",
        # the scheduler's loop every 5 s instead of 60, the worker's poll every 2 s instead of
        # 10: the same services doing the same work, with less waiting between their turns
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
    }
    env.pop("ROADMAP_DATABASE_URL", None)
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [*PREFECT, "server", "start", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    worker = None
    try:
        _wait(lambda: _ok(f"{api}/health"), 300, "the Prefect server")  # a hang guard
        roadmap = [sys.executable, "-m", "cli.main"]
        for args in (["sync", "--as-of", "2025-01-09"], ["contacts", "load", str(CONTACTS)]):
            subprocess.run([*roadmap, *args], env=env, cwd=REPO, check=True, capture_output=True)
        subprocess.run(
            [*PREFECT, "work-pool", "create", "roadmap", "--type", "process"],
            env=env,
            check=True,
            capture_output=True,
        )
        deploy = subprocess.run(
            [*PREFECT, "--no-prompt", "deploy", "--all"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert deploy.returncode == 0, deploy.stdout[-2000:] + deploy.stderr[-2000:]
        assert httpx.post(f"{api}/deployments/count", json={}).json() == 102
        # the server's scheduler, not our code, turns the RDATE lists into scheduled runs; it
        # works through the deployments in batches, so wait for the sweep's own
        deps = httpx.post(f"{api}/deployments/filter", json={"limit": 200}).json()
        sweep = next(d for d in deps if d["name"] == "Красноярский край: Ежедневный обход")

        def sweep_scheduled() -> list[dict[str, object]]:
            runs = httpx.post(f"{api}/flow_runs/filter", json={
                "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                "deployments": {"id": {"any_": [sweep["id"]]}}, "limit": 50}).json()  # fmt: skip
            return list(runs)

        scheduled = _wait(sweep_scheduled, 150, "the sweep's scheduled runs")
        # the next working days at 09:00 Krasnoyarsk (02:00 UTC), never a weekend or a day off
        assert all(str(r["expected_start_time"]).endswith("02:00:00Z") for r in scheduled)
        assert all(str(r["expected_start_time"]) > "2026-11-2" for r in scheduled)
        worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", "roadmap"], env=env, cwd=REPO,
                                  stdout=log, stderr=log)  # fmt: skip
        run = httpx.post(f"{api}/deployments/{sweep['id']}/create_flow_run",
                         json={"parameters": {"as_of": "2025-01-09"}}).json()  # fmt: skip
        state = _wait(lambda: _final(api, run["id"]), 180, "the worker to run the sweep")
        assert state == "COMPLETED", (tmp_path / "server.log").read_text()[-3000:]
        assert list((tmp_path / "home" / "outbox" / "2025-01-09").glob("*.eml"))
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)
        server.terminate()
        server.wait(30)
        log.close()
        with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _final(api: str, run_id: str) -> str | None:
    state = httpx.get(f"{api}/flow_runs/{run_id}").json()["state"]["type"]
    return state if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None
