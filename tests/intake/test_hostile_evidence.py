"""Hostile evidence posted as an attacker posts it: to the real `roadmap intake` process on
loopback, over a socket, and the Word bomb given to the real `roadmap init` process.

Memory is measured where it is spent: the intake server's peak resident size
(``VmHWM`` in ``/proc/<pid>/status``) after the bomb, and the peak of `roadmap init` and
of every child it waited for. Never a clock.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, func, select

from services.tokens import make_token
from storage.db import make_engine, session_scope
from storage.tables import AuditRecord, EvidenceRecord, OutboxRecord, UsedLinkRecord
from tests.cli.process import roadmap
from tests.conftest import REPO
from tests.fixtures import CONTACTS
from tests.intake import hostile_files as hostile
from tests.peers import free_port
from tests.storage.files import PDF, pdf_bytes

KEY = "hostile-evidence-test-key-0123456789abcdef"
OBLIGATION = "krasnoyarsk-2025-2026:6.1:2026-11"
MAX_REFUSED = 3
MB = 1024 * 1024
# the page's own process, with the bomb refused: what uvicorn, FastAPI and the program take
SERVER_CEILING = 400 * MB


@dataclass
class Page:
    """The running `roadmap intake` process of a test home."""

    home: Path
    port: int
    pid: int

    def link(self, obligation: str = OBLIGATION, org: str = "minzdrav") -> str:
        now = dt.datetime.now(dt.UTC)
        token = make_token(obligation, org, key=KEY.encode(), now=now, ttl=dt.timedelta(days=3))
        return f"http://127.0.0.1:{self.port}/i/{token}"

    def post(self, url: str, files: list[tuple[str, bytes]]) -> httpx.Response:
        return httpx.post(
            url,
            data={"action": "submit", "name": "Козлова Татьяна Юрьевна"},
            files=[("files", (name, data, "application/octet-stream")) for name, data in files],
            timeout=180,
        )

    def peak_memory(self) -> int:
        """The server's peak resident size so far, in bytes (``VmHWM``)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise AssertionError("no VmHWM")

    def count(self, table: type, **where: str) -> int:
        engine = make_engine(f"sqlite:///{self.home / 'roadmap.db'}")
        with session_scope(engine) as s:
            stmt = select(func.count()).select_from(table)
            for column, value in where.items():
                stmt = stmt.where(getattr(table, column) == value)
            return int(s.exec(stmt).one())


def _environment(home: Path) -> dict[str, str]:
    return {
        "ROADMAP_INTAKE_SECRET": KEY,
        "ROADMAP_INTAKE_MAX_REFUSED": str(MAX_REFUSED),
        "ROADMAP_HOME": str(home),
    }


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    home = tmp_path_factory.mktemp("hostile") / "home"
    extra = _environment(home)
    assert roadmap(home, "sync", extra=extra).returncode == 0
    assert roadmap(home, "contacts", "load", str(CONTACTS), extra=extra).returncode == 0
    env = {**os.environ, **extra}
    env.pop("ROADMAP_DATABASE_URL", None)
    env.pop("ROADMAP_PROGRAMS", None)
    port = free_port()
    log = (home / "intake.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "intake", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        served = Page(home, port, proc.pid)
        _wait_until_served(served, proc)
        yield served
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def _wait_until_served(page: Page, proc: subprocess.Popen[bytes]) -> None:
    end = time.monotonic() + 90
    while time.monotonic() < end and proc.poll() is None:
        try:
            if httpx.get(page.link(), timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("the intake page did not start")


def test_a_word_bomb_is_refused_without_the_server_holding_what_it_inflates_to(
    page: Page, tmp_path: Path
) -> None:
    bomb = hostile.word_bomb(tmp_path / "отчёт.docx")
    assert bomb.stat().st_size < 2 * MB
    url = page.link()
    answer = page.post(url, [("отчёт.docx", bomb.read_bytes())])
    # before: python-docx parsed 31 million paragraphs in the page's process (4.4 GB)
    assert page.peak_memory() < SERVER_CEILING, page.peak_memory() // MB
    assert answer.status_code == 400
    assert "«отчёт.docx»" in answer.text and "слишком много элементов XML" in answer.text
    assert "Отправка не принята целиком" in answer.text
    assert page.count(EvidenceRecord) == 0
    # the link was not used up: the person can still send a good file through it
    good = page.post(url, [("отчёт.pdf", pdf_bytes("after the bomb"))])
    assert good.status_code == 200 and "Спасибо" in good.text
    assert page.count(UsedLinkRecord) == 1


def test_a_dense_word_file_within_the_counts_is_opened_outside_the_page(
    page: Page, tmp_path: Path
) -> None:
    dense = hostile.dense_word(tmp_path / "плотный.docx")
    answer = page.post(page.link(), [("плотный.docx", dense.read_bytes())])
    # python-docx spent about 500 MB on it, in the inspecting child, not in the page
    assert page.peak_memory() < SERVER_CEILING, page.peak_memory() // MB
    assert answer.status_code == 200, answer.text[:500]


HOSTILE = {
    "xlsx-external-link": ("свод.xlsx", hostile.xlsx_with_external_link, "внешней книгой"),
    "docx-remote-template": ("приказ.docx", hostile.docx_with_remote_template, "удалённый шаблон"),
    "docx-ole-object": ("приказ.docx", hostile.docx_with_ole_object, "объект OLE"),
    "pdf-javascript": ("акт.pdf", hostile.pdf_with_javascript, "сценарий JavaScript"),
    "pdf-escaped-javascript": ("акт.pdf", hostile.pdf_with_escaped_javascript, "JavaScript"),
    "pdf-launch": ("акт.pdf", hostile.pdf_with_launch, "запуск программы"),
    "pdf-embedded-file": ("акт.pdf", hostile.pdf_with_embedded_file, "вложенный файл"),
    "zip-first-polyglot": ("акты.zip", hostile.zip_first_polyglot, "полиглот"),
    "docx-with-a-pdf-after-it": ("приказ.docx", hostile.docx_with_pdf_after_it, "вне его файлов"),
}


@pytest.mark.parametrize(("name", "build", "why"), HOSTILE.values(), ids=HOSTILE.keys())
def test_active_content_and_polyglots_are_refused_with_the_reason_naming_the_file(
    page: Page, name: str, build: Callable[[], bytes], why: str
) -> None:
    before = page.count(EvidenceRecord)
    answer = page.post(page.link(), [(name, build())])
    assert answer.status_code == 400, answer.text[:500]
    assert f"«{name}»" in answer.text and why in answer.text
    assert page.count(EvidenceRecord) == before


def test_a_bad_second_file_refuses_the_whole_submission_and_repeated_refusals_lock_the_link(
    page: Page,
) -> None:
    url = page.link(org="minsoc")
    before = page.count(EvidenceRecord)
    used = page.count(UsedLinkRecord)
    files = [("справка.pdf", PDF), ("акт.pdf", hostile.pdf_with_javascript())]
    for attempt in range(1, MAX_REFUSED + 1):
        answer = page.post(url, files)
        assert "«акт.pdf»" in answer.text and "ничего не сохранено" in answer.text
        # nothing half-way: not the good first file, not the link
        assert page.count(EvidenceRecord) == before and page.count(UsedLinkRecord) == used
        assert page.count(AuditRecord, action="intake_refused") >= attempt
        assert answer.status_code == (403 if attempt == MAX_REFUSED else 400)
    assert "Ссылка заблокирована" in answer.text
    # the link stays locked, for a good file too; the coordinator is told once
    again = page.post(url, [("справка.pdf", PDF)])
    assert again.status_code == 403 and "Ссылка заблокирована" in again.text
    assert httpx.get(url, timeout=10).status_code == 403
    assert page.count(EvidenceRecord) == before
    text = _coordinator_alert(page)
    assert "заблокирована" in text and "roadmap intake link --obligation 6.1:2026-11" in text


def _coordinator_alert(page: Page) -> str:
    engine = make_engine(f"sqlite:///{page.home / 'roadmap.db'}")
    with session_scope(engine) as s:
        stmt = select(OutboxRecord).where(
            col(OutboxRecord.key).startswith("alert|intake-locked:"),
            OutboxRecord.recipient_role == "coordinator",
        )
        return "\n".join(r.body_text for r in s.exec(stmt))


def test_roadmap_init_refuses_the_word_bomb_within_a_bounded_memory(tmp_path: Path) -> None:
    bomb = hostile.word_bomb(tmp_path / "программа.docx")
    report = tmp_path / "peak.txt"
    # the real command in its own process; at its exit, its own peak and its children's
    probe = (
        "import atexit, resource, runpy, sys\n"
        f"def peak():\n"
        f"    own = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
        f"    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        f"    open({str(report)!r}, 'w').write(f'{{own.split()[1]}} {{kids}}')\n"
        "atexit.register(peak)\n"
        "sys.argv = ['roadmap'] + sys.argv[1:]\n"
        "runpy.run_module('cli.main', run_name='__main__')\n"
    )
    home = tmp_path / "home"
    env = {**os.environ, "ROADMAP_HOME": str(home)}
    env.pop("ROADMAP_DATABASE_URL", None)
    args = ["init", str(tmp_path / "tver"), "--from", str(bomb)]
    args += ["--region", "Тверская область", "--timezone", "Europe/Moscow"]
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    own_kb, children_kb = (int(x) for x in report.read_text().split())
    # before: 4.4 GB in the command's own process
    assert own_kb * 1024 < SERVER_CEILING, own_kb // 1024
    assert children_kb * 1024 < SERVER_CEILING, children_kb // 1024
    assert done.returncode == 1, done.stdout + done.stderr
    assert "слишком много элементов XML" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "tver").exists()
