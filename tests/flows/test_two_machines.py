"""Two machines, no shared folder: the intake page and a worker as separate processes, each
with its own ROADMAP_HOME, on one PostgreSQL database and one Prefect server.

A document handed in through the page is listed, saved and reviewed from the worker's side
and cited by the report the worker makes; that report downloads through the page's link;
a worker killed mid-run loses nothing, and the next worker makes the report again.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import make_url

from storage.db import normalize_url
from tests.conftest import REPO
from tests.db import POSTGRES_URL, _admin_conninfo
from tests.flows.test_distributed import _final, _wait
from tests.notifications.conftest import CONTACTS
from tests.peers import free_port
from tests.storage.files import pdf_bytes

pytestmark = pytest.mark.prefect

PROGRAM = "krasnoyarsk-2025-2026"
DEPLOYMENT = "Красноярский край: Сводный отчёт по запросу"
OBLIGATION = "6.1:2025-06"
ROADMAP = [sys.executable, "-m", "cli.main"]
PREFECT = [sys.executable, "-m", "prefect"]


@pytest.fixture
def database() -> Iterator[str]:
    name = f"roadmap_two_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(normalize_url(POSTGRES_URL)).set(database=name).render_as_string(False)
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Machine:
    """One machine's environment: its own home, the shared database and Prefect server."""

    def __init__(self, home: Path, common: dict[str, str]) -> None:
        self.home = home
        self.env = {**common, "ROADMAP_HOME": str(home), "PREFECT_HOME": str(home / "prefect")}

    def roadmap(self, *args: str) -> str:
        done = subprocess.run([*ROADMAP, *args], env=self.env, cwd=REPO, capture_output=True,
                              text=True)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self, command: list[str], log: Path) -> subprocess.Popen[bytes]:
        out = log.open("ab")
        # a session of its own, so that killing it kills the flow runs it started too
        return subprocess.Popen(command, env=self.env, cwd=REPO, stdout=out, stderr=out,
                                start_new_session=True)  # fmt: skip


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _run(api: str, deployment_id: str, as_of: str) -> str:
    parameters = {"as_of": as_of, "period": "2025-H1", "formats": ["docx", "xlsx"],
                  "program": PROGRAM}  # fmt: skip
    created = httpx.post(f"{api}/deployments/{deployment_id}/create_flow_run",
                         json={"parameters": parameters}).json()  # fmt: skip
    return str(created["id"])


def _links(api: str, run_id: str, base: str) -> list[str]:
    found = httpx.post(f"{api}/artifacts/filter",
                       json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}).json()  # fmt: skip
    text = " ".join(str(a.get("data")) for a in found)
    return sorted(set(re.findall(re.escape(base) + r"/f/[A-Za-z0-9_.\-]+", text)))


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def _state(api: str, run_id: str) -> str:
    return str(httpx.get(f"{api}/flow_runs/{run_id}").json()["state"]["type"])


def test_intake_page_and_worker_on_two_homes_share_files_through_the_store(
    tmp_path: Path, prefect_ui: str, database: str
) -> None:
    api = f"{prefect_ui}/api"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    common = {
        **os.environ,
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "ROADMAP_DATABASE_URL": database,
        "ROADMAP_PUBLIC_BASE_URL": base,
        "ROADMAP_INTAKE_SECRET": "one key for every machine of the stack, 32+ bytes",
        "ROADMAP_QUIET_HOURS": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "2",  # the worker asks for runs every 2 s, not 10
    }
    for var in ("ROADMAP_FILE_STORE", "ROADMAP_FILE_STORE_DIR", "ROADMAP_PREFECT_API_URL"):
        common.pop(var, None)
    page_machine = Machine(tmp_path / "page", common)
    worker_machine = Machine(tmp_path / "worker", common)
    log = tmp_path / "processes.log"
    worker_machine.roadmap("sync", "--as-of", "2025-01-09")
    worker_machine.roadmap("contacts", "load", str(CONTACTS))
    page = worker = None
    try:
        page = page_machine.start([*ROADMAP, "intake", "--port", str(port)], log)
        _wait(lambda: _answers(f"{base}/f/x"), 60, "the intake page")

        # a ministry hands a document in through the page (machine one)
        link = page_machine.roadmap("intake", "link", "--obligation", OBLIGATION,
                                    "--org", "minzdrav").strip()  # fmt: skip
        document = pdf_bytes("численность на 1 июля")
        sent = httpx.post(link, data={"action": "submit", "name": "Козлова Т. Ю."},
                          files=[("files", ("численность июнь.pdf", document, "application/pdf"))])  # fmt: skip
        assert sent.status_code == 200 and "Спасибо" in sent.text, sent.text[-1500:]
        assert not (page_machine.home / "evidence").exists()  # nothing of it on the page's disk

        # the coordinator, on the worker's machine, lists it, reads it and accepts it
        listed = worker_machine.roadmap("evidence", "--obligation", OBLIGATION, "--json")
        sha = re.search(r'"sha256": "([0-9a-f]{64})"', listed)
        assert sha is not None
        worker_machine.roadmap("evidence", "--obligation", OBLIGATION, "--save",
                               str(tmp_path / "read"))  # fmt: skip
        assert (tmp_path / "read" / "v1-численность июнь.pdf").read_bytes() == document
        worker_machine.roadmap("review", "--obligation", OBLIGATION, "--accept", "--version", "1")

        # the worker (machine two) makes the consolidated report
        pool = f"two-machines-{uuid.uuid4().hex[:6]}"
        subprocess.run([*PREFECT, "work-pool", "create", pool, "--type", "process"],
                       env=worker_machine.env, check=True, capture_output=True)  # fmt: skip
        deploy = subprocess.run([*PREFECT, "--no-prompt", "deploy", "--name", DEPLOYMENT,
                                 "--pool", pool], env=worker_machine.env, cwd=REPO,
                                capture_output=True, text=True)  # fmt: skip
        assert deploy.returncode == 0, deploy.stdout[-2000:] + deploy.stderr[-2000:]
        deps = httpx.post(f"{api}/deployments/filter",
                          json={"work_pools": {"name": {"any_": [pool]}}}).json()  # fmt: skip
        (dep,) = [d for d in deps if d["name"] == DEPLOYMENT]
        worker_command = [*PREFECT, "worker", "start", "--pool", pool]
        worker = worker_machine.start(worker_command, log)
        # a report as of the day the page received the document cites it (one as of an
        # earlier day must not: a read for a date sees only what was recorded by then)
        today = dt.datetime.now(ZoneInfo("Asia/Krasnoyarsk")).date().isoformat()
        first = _run(api, dep["id"], today)
        assert _wait(lambda: _final(api, first), 240, "the worker's report") == "COMPLETED", (
            log.read_text(errors="replace")[-3000:]
        )
        links = _links(api, first, base)
        assert len(links) == 2, links
        got = {}
        for url in links:
            answer = httpx.get(url)  # served by the page, which never had the file
            assert answer.status_code == 200, answer.text[:500]
            got[answer.headers["content-disposition"]] = answer.content
        written = sorted((worker_machine.home / "reports" / PROGRAM).rglob("*.*"))
        assert sorted(got.values()) == sorted(p.read_bytes() for p in written)
        assert not (page_machine.home / "reports").exists()
        (xlsx,) = [v for k, v in got.items() if k.endswith(".xlsx")]
        cells = {str(c.value) for ws in load_workbook(io.BytesIO(xlsx)) for row in ws.iter_rows()
                 for c in row if c.value is not None}  # fmt: skip
        assert sha[1] in cells  # the report cites the document the page received

        # the worker is killed in the middle of the next run: nothing is lost
        status_before = page_machine.roadmap("status", "--as-of", "2025-08-01", "--json")
        second = _run(api, dep["id"], "2025-08-02")
        _wait(lambda: _state(api, second) == "RUNNING", 120, "the second run to start")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        assert page_machine.roadmap("status", "--as-of", "2025-08-01", "--json") == status_before
        assert "все совпадают" in page_machine.roadmap("files", "check")
        for url in links:
            assert httpx.get(url).status_code == 200
        page_machine.roadmap("evidence", "--obligation", OBLIGATION, "--save",
                             str(tmp_path / "again"))  # fmt: skip
        assert (tmp_path / "again" / "v1-численность июнь.pdf").read_bytes() == document

        # a new worker makes the report again, and its link works as well
        worker = worker_machine.start(worker_command, log)
        third = _run(api, dep["id"], "2025-08-02")
        assert _wait(lambda: _final(api, third), 240, "the new worker's report") == "COMPLETED"
        for url in _links(api, third, base):
            assert httpx.get(url).status_code == 200
    finally:
        _stop(worker)
        _stop(page)
