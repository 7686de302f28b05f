"""`roadmap intake link`, and intake links in messages once a public address is set."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from roadmap.links import read_token
from services import runtime as services_runtime
from tests.notifications.conftest import CONTACTS

runner = CliRunner()


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
