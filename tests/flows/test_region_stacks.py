"""A region's own door: two regions' stacks and the federal office's on one PostgreSQL database.

Each region runs `roadmap up --program …`: its own Prefect server with its own generated auth
string, its own intake page with its own link key, its deployments alone. The federal office
runs `roadmap up --federal`: the federal view over both. Region A's password gets 401 on B's
server, A's key opens none of B's links or files, and the federal view sees both regions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from roadmap.program.loader import DEFAULT_PROGRAM
from services.runtime import FEDERAL
from services.tokens import make_file_token, make_token
from services.wakeups import auth_headers
from tests.conftest import REPO
from tests.db import POSTGRES_URL, _admin_conninfo
from tests.flows.test_lanes import KRSK
from tests.flows.test_regions import SAMARA, make_samara
from tests.peers import free_port, seed_prefect_home

KEYS = {
    KRSK: "a-9f3c1e7b2d5a8f4c6e0b1d3f5a7c9e2b4d6f8a0c",
    SAMARA: "b-7e2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d",
    "federal": "f-3b5d7f9a1c3e5b7d9f2a4c6e8b0d2f4a6c8e0b1d",
}


@dataclass
class Stack:
    lane: str
    api: str
    intake: str
    home: Path
    proc: subprocess.Popen[bytes]

    @property
    def auth(self) -> str:
        return (self.home / "prefect-auth").read_text().strip()

    def count(self, auth: str | None = None) -> httpx.Response:
        headers = auth_headers(auth) if auth else {}
        return httpx.post(f"{self.api}/deployments/count", json={}, headers=headers, timeout=10)


@pytest.fixture
def database() -> Iterator[str]:
    name = f"roadmap_lanes_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(home: Path, programs: str, database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ROADMAP_HOME": str(home),
        "ROADMAP_PROGRAMS": programs,
        "ROADMAP_DATABASE_URL": database,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    for var in (
        "PREFECT_API_URL",
        "ROADMAP_PREFECT_AUTH_STRING",
        "PREFECT_API_AUTH_STRING",
        "ROADMAP_PROGRAM",
        "ROADMAP_CONTACTS_FILE",
        "ROADMAP_PUBLIC_BASE_URL",
        "ROADMAP_PREFECT_API_URL",
        "ROADMAP_SMTP_URL",
    ):
        env.pop(var, None)
    return env


def _start(env: dict[str, str], home: Path, lane: str, args: list[str]) -> Stack:
    port, intake = free_port(), free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "up",
            *args,
            "--port",
            str(port),
            "--intake-port",
            str(intake),
            "--limit",
            "2",
        ],
        env={**env, "ROADMAP_INTAKE_SECRET": KEYS[lane]},
        cwd=REPO,
        stdout=(home / f"{lane}.out").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Stack(
        lane,
        f"http://127.0.0.1:{port}/api",
        f"http://127.0.0.1:{intake}",
        home / "stacks" / lane,
        proc,
    )


def _ready(stack: Stack, want: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert stack.proc.poll() is None, (
            stack.home.parent.parent / f"{stack.lane}.out"
        ).read_text()
        try:
            if (stack.home / "prefect-auth").exists() and stack.count(stack.auth).json() == want:
                httpx.get(f"{stack.intake}/i/x", timeout=2)
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    raise AssertionError(f"the {stack.lane} stack did not come up")


def _page(stack: Stack, path: str) -> int:
    return httpx.get(f"{stack.intake}{path}", timeout=10).status_code


def test_each_region_has_its_own_door_and_the_federal_office_sees_both(
    tmp_path: Path, database: str
) -> None:
    samara_folder = make_samara(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = _environment(home, f"{DEFAULT_PROGRAM},{samara_folder}", database)
    sync = subprocess.run(
        [sys.executable, "-m", "cli.main", "sync", "--as-of", "2025-01-09"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert sync.returncode == 0, sync.stdout + sync.stderr
    for lane in (KRSK, SAMARA, FEDERAL):  # each stack's own Prefect home, migrated once for all
        seed_prefect_home(home / "stacks" / lane / "prefect")
    stacks = {
        KRSK: _start(env, home, KRSK, ["--program", KRSK]),
        SAMARA: _start(env, home, SAMARA, ["--program", str(samara_folder)]),
        "federal": _start(env, home, "federal", ["--federal"]),
    }
    a, b, federal = stacks[KRSK], stacks[SAMARA], stacks["federal"]
    try:
        deadline = time.monotonic() + 240
        for stack, want in ((a, 2), (b, 2), (federal, 1)):
            _ready(stack, want, deadline)
        # three doors, three passwords: each opens its own server alone
        assert len({a.auth, b.auth, federal.auth}) == 3
        for stack in stacks.values():
            assert stack.count(stack.auth).status_code == 200
            for other in stacks.values():
                if other is not stack:
                    assert stack.count(other.auth).status_code == 401, (stack.lane, other.lane)
            assert stack.count().status_code == 401
        names = {
            lane: [
                d["name"]
                for d in httpx.post(
                    f"{s.api}/deployments/filter", json={}, headers=auth_headers(s.auth), timeout=10
                ).json()
            ]
            for lane, s in stacks.items()
        }
        assert all(n.startswith("Красноярский край: ") for n in names[KRSK]), names
        assert all(n.startswith("Самарская область: ") for n in names[SAMARA]), names
        assert names["federal"] == ["Федеральный свод по регионам"]
        # links: B's page honours B's key alone; A's page knows nothing of B
        now, ttl = dt.datetime.now(dt.UTC), dt.timedelta(days=1)
        obligation = f"{SAMARA}:1.4:2025-04"
        lead = "min-sotsialno-demograficheskoy"
        good = make_token(obligation, lead, key=KEYS[SAMARA].encode(), now=now, ttl=ttl)
        forged = make_token(obligation, lead, key=KEYS[KRSK].encode(), now=now, ttl=ttl)
        assert _page(b, f"/i/{good}") == 200
        assert _page(b, f"/i/{forged}") == 403
        assert _page(a, f"/i/{good}") == 403
        # B's report, made as its curator would: into the file store every machine reaches
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli.main",
                "--program",
                SAMARA,
                "consolidate",
                "--as-of",
                "2025-08-01",
                "--period",
                "2025-H1",
                "--format",
                "xlsx",
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert made.returncode == 0, made.stdout + made.stderr
        path = "on-demand/2025-08-01/svodnyi-otchet-2025-H1-na-2025-08-01.xlsx"
        mine = make_file_token(path, owner=SAMARA, key=KEYS[SAMARA].encode(), now=now, ttl=ttl)
        theirs = make_file_token(path, owner=SAMARA, key=KEYS[KRSK].encode(), now=now, ttl=ttl)
        assert _page(b, f"/f/{mine}") == 200
        assert _page(b, f"/f/{theirs}") == 403
        assert _page(a, f"/f/{mine}") == 403 and _page(a, f"/f/{theirs}") == 403
        # the federal office's view: both regions, read from the one database
        view = subprocess.run(
            [
                sys.executable,
                "-m",
                "cli.main",
                "federal",
                "--as-of",
                "2025-04-08",
                "--json",
                "--out",
                str(tmp_path / "federal"),
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert view.returncode == 0, view.stderr
        rows = json.loads(view.stdout)
        assert [(r["program"], r["synced"]) for r in rows] == [(KRSK, True), (SAMARA, True)]
    finally:
        for stack in stacks.values():
            if stack.proc.poll() is None:
                stack.proc.send_signal(signal.SIGTERM)
        for stack in stacks.values():
            try:
                stack.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(stack.proc.pid, signal.SIGKILL)
    for stack in stacks.values():
        out = (home / f"{stack.lane}.out").read_text()
        assert "Остановлено." in out and "Traceback" not in out, out
