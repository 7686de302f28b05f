"""5. ``roadmap up``: seconds until the UI answers and until every deployment is registered."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import Results
from tests.peers import free_port

ROOT = Path(__file__).resolve().parent.parent


def _get(url: str, body: dict[str, object] | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read() or b"null")


def run(results: Results) -> None:
    from flows.deployments import deployment_specs
    from roadmap.loader import DEFAULT_PROGRAM, load_program
    from roadmap.workdays import get_calendar

    prog = load_program(DEFAULT_PROGRAM)
    expected = len(deployment_specs(prog, get_calendar(prog.calendar)))
    port, intake = free_port(), free_port()
    api = f"http://127.0.0.1:{port}/api"
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        env = {**os.environ, "ROADMAP_HOME": tmp,
               "ROADMAP_INTAKE_PORT": str(intake), "PREFECT_HOME": f"{tmp}/prefect",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}  # fmt: skip
        for var in ("ROADMAP_DATABASE_URL", "PREFECT_API_URL", "ROADMAP_PREFECT_API_URL"):
            env.pop(var, None)
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "up", "--port", str(port)], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        ui = registered = None
        try:
            while time.perf_counter() - t < 300 and registered is None:
                time.sleep(0.25)
                try:
                    if ui is None:
                        _get(f"{api}/health")
                        ui = time.perf_counter() - t
                    count = _get(f"{api}/deployments/count", {})
                    if isinstance(count, int) and count >= expected:
                        registered = time.perf_counter() - t
                except OSError:
                    continue
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    results.add("up", "UI answers (local Prefect server started)",
                f"{ui:.1f} s" if ui else "did not answer in 300 s")  # fmt: skip
    results.add("up", f"all {expected} deployments registered",
                f"{registered:.1f} s" if registered else "not within 300 s")  # fmt: skip
