"""5. ``roadmap up`` with one program and with fourteen: until the UI answers, and until
every deployment is registered, as a ratio to the UI's start in the same run.

Targets: a warm start within 1.2× the UI's start; one region's own stack (``roadmap up
--program`` with fourteen programs loaded) cold within 1.5× the UI; fourteen programs on one
server cold, the cost of each deployment within 1.3× the server's own cost for an empty
deployment, measured on a server of its own in the same run (``_empty_deployments``).

Fourteen programs are synthetic copies of the embedded one under each region's id, name
and time zone (``tests/regions.py``). Each case starts twice on the same ``ROADMAP_HOME``:
*cold* (a new Prefect database: every deployment is sent) and *warm* (a restart with
nothing changed: the server keeps what it has, ``flows/registration.py``). Fourteen
programs start once more with the Prefect server on PostgreSQL
(``PREFECT_SERVER_DATABASE_CONNECTION_URL``; the database ``prefect_bench`` on the server
of ``ROADMAP_BENCH_POSTGRES_URL``, made anew and dropped afterwards).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import Results
from services.runtime import kept_prefect_auth
from services.wakeups import auth_headers
from tests.peers import free_port

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 900  # seconds a start may take before the benchmark gives up on it
WARM = 1.2  # a warm start: every deployment known within 1.2× the UI's start
REGION_COLD = 1.5  # one region's own stack, cold: within 1.5× the UI's start
PER_DEPLOYMENT = 1.3  # fourteen on one server, cold: each within 1.3× an empty deployment


def _get(url: str, body: dict[str, object] | None = None, auth: str | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", **auth_headers(auth)}
    req = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read() or b"null")


def _start(
    env: dict[str, str], expected: int, args: tuple[str, ...] = (), home: Path | None = None
) -> tuple[float | None, float | None]:
    """Seconds from `roadmap up` to the UI answering, and to every deployment registered:
    the server counts ``expected`` and `roadmap up` has said so (it then starts the runner).

    The server answers the count only with the auth string `roadmap up` keeps in its home.
    """
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "up", *args, "--port", str(port)],
        cwd=ROOT,
        env={**env, "ROADMAP_INTAKE_PORT": str(free_port()), "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    said: list[float] = []
    kept = kept_prefect_auth(home or Path(env["ROADMAP_HOME"]))

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if "зарегистрированы" in line:
                said.append(time.perf_counter() - t)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ui = counted = None
    try:
        while time.perf_counter() - t < LIMIT and not (counted and said):
            time.sleep(0.25)
            try:
                if ui is None:
                    _get(f"{api}/health")
                    ui = time.perf_counter() - t
                if counted is None:
                    count = _get(f"{api}/deployments/count", {}, kept.read_text().strip())
                    if isinstance(count, int) and count >= expected:
                        counted = time.perf_counter() - t
            except OSError:
                continue
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return ui, max(counted, said[0]) if counted and said else None


@contextlib.contextmanager
def _bare_server() -> Iterator[str]:
    """A Prefect server of its own on a new database, no auth string, with this process's
    client pointed at it; its API address."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        port = free_port()
        env = {**os.environ, "PREFECT_HOME": tmp, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env.pop("PREFECT_SERVER_API_AUTH_STRING", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        api = f"http://127.0.0.1:{port}/api"
        try:
            while True:
                try:
                    _get(f"{api}/health")
                    break
                except OSError:
                    time.sleep(0.25)
            with temporary_settings(updates={PREFECT_API_URL: api}):
                yield api
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)


def _serial_reference(results: Results, specs: list[Any]) -> None:
    """Prefect's own way, for comparison: ``serve()`` applies each deployment in turn."""
    import asyncio

    from prefect.schedules import RRule

    from flows.registration import flow_of

    async def apply_each() -> float:
        t = time.perf_counter()
        for spec in specs:
            deployment = await flow_of(spec).ato_deployment(
                name=spec.name,
                parameters=spec.parameters,
                tags=list(spec.tags),
                description=spec.description,
                schedules=[
                    RRule(x.rrule, timezone=spec.timezone, parameters=x.parameters or None)
                    for x in spec.schedules
                ],
            )
            await deployment.aapply()
        return time.perf_counter() - t

    with _bare_server():
        took = asyncio.run(apply_each())
    each = took / len(specs)
    results.add(
        "up",
        f"reference: Prefect's serve() way, {len(specs)} deployments applied one "
        "by one (server already up)",
        f"{took:.1f} s ({each * 1000:.0f} ms each; 1401 would take {1401 * each / 60:.1f} min)",
    )


def _empty_deployments(count: int = 200) -> float:
    """Seconds the Prefect server takes to create one deployment with nothing in it (no
    schedule, no parameters, no description), on a server of its own: the floor."""
    import asyncio

    from prefect.client.orchestration import get_client

    async def create() -> float:
        async with get_client() as client:
            flow_id = await client.create_flow_from_name("empty")
            t = time.perf_counter()
            for i in range(count):
                await client.create_deployment(flow_id=flow_id, name=f"empty-{i}")
            return time.perf_counter() - t

    with _bare_server():
        return asyncio.run(create()) / count


def _case(
    results: Results,
    label: str,
    env: dict[str, str],
    expected: int,
    *,
    cold_target: float | None = None,
    args: tuple[str, ...] = (),
    home: Path | None = None,
) -> float | None:
    """A cold and a warm start; returns the cold start's seconds per deployment after the UI."""
    per_deployment = None
    for start in ("cold", "warm"):
        ui, registered = _start(env, expected, args, home)
        what = f"{label}, {start} start"
        target = WARM if start == "warm" else cold_target
        if ui is None or registered is None:
            results.add(
                "up",
                f"{what}: all {expected} deployments registered",
                f"not within {LIMIT} s (UI: {ui or '—'})",
                f"≤ {target:g}× the UI" if target else "",
                False if target else None,
            )
            continue
        results.add("up", f"{what}: UI answers", f"{ui:.1f} s")
        ratio = registered / ui
        results.add(
            "up",
            f"{what}: all {expected} deployments registered",
            f"{registered:.1f} s = {ratio:.2f}× the UI",
            f"≤ {target:g}× the UI" if target else "",
            ratio <= target if target else None,
        )
        if start == "cold":
            per_deployment = (registered - ui) / expected
    return per_deployment


def _on_postgres(results: Results, env: dict[str, str], expected: int) -> None:
    """The fourteen programs' case with the Prefect server on a new PostgreSQL database."""
    import psycopg

    admin = os.environ.get(
        "ROADMAP_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS prefect_bench WITH (FORCE)")
        c.execute("CREATE DATABASE prefect_bench")
    url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        on_pg = {**env, "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"{url}/prefect_bench"}
        _case(results, "14 programs, Prefect on PostgreSQL", on_pg, expected)
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS prefect_bench WITH (FORCE)")


def run(results: Results) -> None:
    from flows.deployments import stack_specs
    from roadmap.dates.workdays import get_calendar
    from roadmap.program.loader import DEFAULT_PROGRAM, load_program
    from tests.regions import synthetic_programs

    base = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    for var in (
        "ROADMAP_DATABASE_URL",
        "PREFECT_API_URL",
        "ROADMAP_PREFECT_API_URL",
        "ROADMAP_PROGRAMS",
        "ROADMAP_PROGRAM",
        "ROADMAP_CONTACTS_FILE",
    ):
        base.pop(var, None)
    floor = _empty_deployments()
    results.add(
        "up", "reference: the server creates an empty deployment", f"{floor * 1000:.0f} ms each"
    )
    for count in (1, 14):
        with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
            if count == 1:
                folders = [DEFAULT_PROGRAM]
            else:
                folders = synthetic_programs(Path(tmp), count)
            programs = [(load_program(f), get_calendar()) for f in folders]
            expected = len(stack_specs(programs))
            env = {
                **base,
                "ROADMAP_HOME": f"{tmp}/home",
                "PREFECT_HOME": f"{tmp}/home/prefect",
                "ROADMAP_PROGRAMS": ",".join(str(f) for f in folders),
            }
            label = "1 program" if count == 1 else f"{count} programs"
            each = _case(results, label, env, expected)
            if count == 1:
                _serial_reference(results, stack_specs(programs))
                continue
            if each is not None:
                results.add(
                    "up",
                    f"{label}, cold start: each deployment against an empty one",
                    f"{each * 1000:.0f} ms = {each / floor:.2f}× the server's own",
                    f"≤ {PER_DEPLOYMENT:g}×",
                    each <= PER_DEPLOYMENT * floor,
                )
            first = programs[0][0]
            region = len(stack_specs(programs[:1], lane="program"))
            own = {**env, "ROADMAP_HOME": f"{tmp}/region-home"}
            own.pop("PREFECT_HOME")
            _case(
                results,
                f"one region's own stack (--program, {count} loaded)",
                own,
                region,
                cold_target=REGION_COLD,
                args=("--program", first.id),
                home=Path(f"{tmp}/region-home/stacks/{first.id}"),
            )
            home = {"ROADMAP_HOME": f"{tmp}/pg-home", "PREFECT_HOME": f"{tmp}/pg-home/prefect"}
            _on_postgres(results, {**env, **home}, expected)
