"""`roadmap intake link`, and intake links in messages once a public address is set."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app
from services import runtime as services_runtime
from services.tokens import make_file_token, make_token, read_token
from tests.conftest import REPO
from tests.notifications.conftest import CONTACTS
from tests.peers import free_port

runner = CliRunner()
STOP_TEST_KEY = "a key given to the page for this test alone"


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return r.exit_code, r.stdout, r.stderr


def test_intake_link_needs_a_public_address(home: Path) -> None:
    run("sync")
    code, _, err = run("intake", "link", "--obligation", "6.1:2025-03")
    assert code == 1 and "ROADMAP_PUBLIC_BASE_URL" in err


def test_intake_link_is_signed_for_the_obligation_and_org(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org/")
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", "s3cret-key")
    services_runtime.reset()
    run("sync")
    code, out, _ = run("intake", "link", "--obligation", "6.1:2025-03", "--org", "minzdrav")
    assert code == 0
    url = out.strip()
    assert url.startswith("https://roadmap.example.org/i/")
    claims = read_token(url.rsplit("/", 1)[1], key=b"s3cret-key", now=dt.datetime.now(dt.UTC))
    assert (claims.obligation_id, claims.org) == ("krasnoyarsk-2025-2026:6.1:2025-03", "minzdrav")
    code, _, err = run("intake", "link", "--obligation", "6.1:2025-03", "--org", "minkult")
    assert code == 1 and "не исполняет" in err
    # a social-service institution's obligation: the ministry that reports for it may answer
    assert run("intake", "link", "--obligation", "5.6:2025", "--org", "minsoc")[0] == 0


def test_messages_carry_intake_links(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org")
    services_runtime.reset()
    run("sync", "--as-of", "2025-01-09")
    run("contacts", "load", str(CONTACTS))
    run("notify", "--as-of", "2025-01-09")
    texts = [p.read_text("utf-8") for p in (home / "outbox" / "2025-01-09").glob("*.txt")]
    assert texts and all(
        re.search(r"https://roadmap\.example\.org/i/\S+", t) for t in texts if "Представить" in t
    )
    assert any("Представить документ: https://roadmap.example.org/i/" in t for t in texts)
    assert json.loads(run("outbox", "--json")[1])


def test_the_page_is_not_opened_beyond_this_machine_in_development(home: Path) -> None:
    code, _, err = run("intake", "--host", "0.0.0.0")
    assert code == 1 and "development" in err and "127.0.0.1" in err


def test_an_unknown_environment_is_a_russian_error_naming_the_variable(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_ENVIRONMENT", "prodution")
    monkeypatch.setenv("ROADMAP_SMTP_URL", "mailtos://robot:SmtpPassw0rd@smtp.example.org")
    code, out, err = run("validate")
    assert code == 1
    assert "ROADMAP_ENVIRONMENT: допустимые значения: development, production" in err
    assert "Traceback" not in out + err and "Input should" not in err
    assert "SmtpPassw0rd" not in out + err  # pydantic would echo every input value


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("changeme", "заглушка"),
        ("x" * 40, "предсказуемо"),
        ("short-but-random-7f3a", "короче 32 символов"),
        ("abcd" * 8, "предсказуемо"),  # 32 bytes, four characters: 64 bits at most
        ("0123456789abcdef" * 2, "предсказуемо"),  # sixteen characters said twice
    ],
)
def test_production_refuses_a_placeholder_short_or_predictable_intake_key(
    home: Path, monkeypatch: pytest.MonkeyPatch, secret: str, why: str
) -> None:
    monkeypatch.setenv("ROADMAP_ENVIRONMENT", "production")
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", secret)
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org")
    code, _, err = run("intake", "link", "--obligation", "6.1:2025-03")
    assert code == 1 and "ROADMAP_INTAKE_SECRET" in err and why in err and secret not in err
    assert "secrets.token_urlsafe(32)" in err  # and how to make a good one


def test_production_signs_with_a_real_key(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = secrets.token_urlsafe(32)
    monkeypatch.setenv("ROADMAP_ENVIRONMENT", "production")
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", key)
    monkeypatch.setenv("ROADMAP_PUBLIC_BASE_URL", "https://roadmap.example.org")
    assert run("sync")[0] == 0
    code, out, _ = run("intake", "link", "--obligation", "6.1:2025-03")
    assert code == 0
    read_token(out.strip().rsplit("/", 1)[1], key=key.encode(), now=dt.datetime.now(dt.UTC))


def _serving_processes(port: int) -> list[int]:
    """Processes whose command line serves the intake page on ``port``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"intake.server" in cmdline and str(port).encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_a_stop_signal_ends_the_page_and_no_token_reaches_its_log(
    home: Path, tmp_path: Path, stop: int
) -> None:
    assert run("sync")[0] == 0
    port = free_port()
    log = tmp_path / "intake.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "intake", "--port", str(port)],
            cwd=REPO,
            env={**os.environ, "ROADMAP_INTAKE_SECRET": STOP_TEST_KEY},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        token = make_token(
            "krasnoyarsk-2025-2026:6.1:2026-11",
            "minzdrav",
            key=STOP_TEST_KEY.encode(),
            now=dt.datetime.now(dt.UTC),
            ttl=dt.timedelta(days=30),
        )
        end, answered = time.monotonic() + 60, None
        while answered is None and time.monotonic() < end and proc.poll() is None:
            try:
                answered = httpx.get(f"http://127.0.0.1:{port}/i/{token}", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.3)
        assert answered is not None and 'lang="ru"' in answered.text
        httpx.post(f"http://127.0.0.1:{port}/i/{token}?again=1", data={"name": ""}, timeout=5)
        # a download link's token (valid for weeks): the page answers, the log must not keep it
        file_token = make_file_token(
            "2025/сводный.xlsx",
            owner="krasnoyarsk-2025-2026",
            key=STOP_TEST_KEY.encode(),
            now=dt.datetime.now(dt.UTC),
            ttl=dt.timedelta(days=30),
        )
        fetched = httpx.get(f"http://127.0.0.1:{port}/f/{file_token}", timeout=5)
        assert fetched.status_code in (200, 404) and 'lang="ru"' in fetched.text
        assert _serving_processes(port) == [proc.pid]  # the command became the server itself
        proc.send_signal(stop)
        # uvicorn shuts down cleanly, then ends by the signal it got, as a process should
        assert proc.wait(timeout=30) in (0, -stop)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not _serving_processes(port)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/i/x", timeout=2)
    text = log.read_text("utf-8")
    assert "Finished server process" in text
    assert '"GET /i/*** HTTP/1.1"' in text and '"POST /i/***?again=1 HTTP/1.1"' in text
    assert '"GET /f/*** HTTP/1.1"' in text
    for each in (token, file_token):
        payload, signature = each.split(".")
        assert payload not in text and signature not in text
