"""A Prefect server that requires an auth string, started the way `roadmap up` starts it.

Without the credentials the API answers 401; with them a flow runs, pauses, is woken through
``services.answers.wake`` and completes; a ``prefect-secret:`` intake key is read from a real
Secret block through the same credentials, and the intake page and the command line sign and
read links with the resolved value.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from cli.main import app as cli_app
from flows.stack import Stack
from intake.app import build_intake, create_app
from notifications.delivery import Outgoing
from roadmap.obligations.keys import WaitKey
from roadmap.program.contacts import load_contacts
from services import answers, links
from services import program as program_data
from services import runtime as services_runtime
from services.runtime import ChannelSecrets, Runtime
from services.settings import Settings
from services.tokens import make_token, read_token
from services.wakeups import auth_headers
from storage.actuals import record_indicator_value
from storage.db import session_scope
from tests.conftest import REPO
from tests.db import at
from tests.notifications.conftest import CONTACTS
from tests.peers import MaxApi, free_port, seed_prefect_home

AUTH = "roadmap:test-Auth-String-7c1d-Qm4xV9pL2sK8wN3e"  # a password production accepts
KEY = "kF3q-Vb8sWm2Zx7Lp0Tn4Rc9Hd6Jy1Ug5Ea"  # an intake key production accepts


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prefect server behind an auth string, started by the stack ``roadmap up`` uses."""
    home = tmp_path_factory.mktemp("stack")
    seed_prefect_home(home / "prefect")
    settings = Settings(home=home, prefect_auth_string=SecretStr(AUTH))
    stack = Stack(Runtime(settings, offline=True), "127.0.0.1", free_port())
    try:
        stack.start_server()
        yield stack.api
    finally:
        stack.stop()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "PREFECT_API_AUTH_STRING",
        "ROADMAP_DATABASE_URL",
        "ROADMAP_PREFECT_API_URL",
        "ROADMAP_PREFECT_AUTH_STRING",
        "ROADMAP_ENVIRONMENT",
        "ROADMAP_INTAKE_SECRET",
    ):
        monkeypatch.delenv(var, raising=False)
    services_runtime.reset()


def synced_home(home: Path, **settings: Any) -> Runtime:
    rt = Runtime(Settings(home=home, **settings))
    program_data.sync(rt, at=at("2025-01-09", 8))
    program_data.load_contacts(rt, load_contacts(CONTACTS, rt.program), by="test")
    return rt


def paused_runs(api: str) -> list[dict[str, Any]]:
    query = {"flow_runs": {"state": {"type": {"any_": ["PAUSED"]}}}}
    answer = httpx.post(f"{api}/flow_runs/filter", json=query, headers=auth_headers(AUTH))
    answer.raise_for_status()
    runs: list[dict[str, Any]] = answer.json()
    return runs


def test_without_the_credentials_the_api_answers_401(api: str) -> None:
    calls = [
        ("POST", "/flows/filter", {}),
        ("POST", "/deployments/count", {}),
        ("POST", "/block_documents/filter", {"include_secrets": True}),
        ("GET", "/admin/version", None),
    ]
    for method, path, body in calls:
        for headers in ({}, auth_headers("roadmap:wrong"), auth_headers(AUTH.upper())):
            r = httpx.request(method, api + path, json=body, headers=headers, timeout=10)
            assert r.status_code == 401, (path, headers)
        r = httpx.request(method, api + path, json=body, headers=auth_headers(AUTH), timeout=10)
        assert r.status_code == 200, (path, r.text[:200])
    assert httpx.get(f"{api}/health", timeout=10).status_code == 200  # probes stay open


def test_with_the_credentials_a_flow_runs_pauses_and_is_woken(
    api: str, tmp_path: Path, clean_env: None
) -> None:
    home = tmp_path / "home"
    rt = synced_home(home, prefect_api_url=api, prefect_auth_string=SecretStr(AUTH))
    env = {
        **os.environ,
        "ROADMAP_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_API_AUTH_STRING": AUTH,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "ROADMAP_INPUT_TIMEOUT_MINUTES": "3",
    }
    code = "from flows.monitoring import headcount_monitoring as m; print(m(month='2025-04'))"
    flow = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        end, paused = time.monotonic() + 120, []
        while not paused and time.monotonic() < end and flow.poll() is None:
            time.sleep(0.5)
            paused = paused_runs(api)
        assert len(paused) == 1, flow.stdout.read().decode() if flow.poll() is not None else ""
        run_id = paused[0]["id"]
        with session_scope(rt.engine) as s:
            for org, value in (("minsoc", 800), ("minobr", 1250), ("minzdrav", 130)):
                record_indicator_value(
                    session=s,
                    program=rt.program,
                    indicator="1.1",
                    period="2025-04",
                    org=org,
                    value=value,
                    given_by="cli",
                    channel="cli",
                    at=at("2025-04-02"),
                    margin=0.05,
                )
        keys = [WaitKey.indicator("1.1", "2025-04")]
        # the same wake without the auth string: refused by the server, the run stays paused
        no_auth = Runtime(Settings(home=home, prefect_api_url=api))
        assert no_auth.prefect_auth is None and answers.wake(no_auth, keys) == []
        assert [r["id"] for r in paused_runs(api)] == [run_id]
        assert answers.wake(rt, keys) == [run_id]
        out, _ = flow.communicate(timeout=120)
    finally:
        if flow.poll() is None:
            flow.kill()
    assert flow.returncode == 0, out.decode()
    assert "'complete': True" in out.decode() and "'total': 2180" in out.decode()
    state = httpx.get(f"{api}/flow_runs/{run_id}", headers=auth_headers(AUTH)).json()["state"]
    assert state["type"] == "COMPLETED"


def test_a_prefect_secret_intake_key_signs_and_reads_links_at_every_edge(
    api: str, tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.blocks.system import Secret
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api, PREFECT_API_AUTH_STRING: AUTH}):
        Secret(value=KEY).save("intake-key", overwrite=True)
        Secret(value="short-key").save("short-intake-key", overwrite=True)
    home = tmp_path / "home"
    settings: dict[str, Any] = {
        "intake_secret": SecretStr("prefect-secret:intake-key"),
        "prefect_api_url": api,
        "prefect_auth_string": SecretStr(AUTH),
        "public_base_url": "https://roadmap.example.org",
    }
    rt = synced_home(home, **settings)
    assert rt.intake_key == KEY.encode()
    # the page reads the link the command line's use case signed
    url = links.obligation_link(rt, obligation_id="6.1:2025-06", org="minzdrav")
    page = TestClient(create_app(build_intake(rt)))
    shown = page.get(url.removeprefix("https://roadmap.example.org"))
    assert shown.status_code == 200 and "Мониторинг численности" in shown.text
    # signed with the reference itself instead of the block's value: refused
    literal = make_token(
        "krasnoyarsk-2025-2026:6.1:2025-06",
        "minzdrav",
        key=b"prefect-secret:intake-key",
        now=rt.now(),
        ttl=dt.timedelta(days=3),
    )
    assert page.get(f"/i/{literal}").status_code == 403
    # the command line, configured through the environment alone
    for name, value in {
        "ROADMAP_HOME": str(home),
        "ROADMAP_PREFECT_API_URL": api,
        "ROADMAP_PREFECT_AUTH_STRING": AUTH,
        "ROADMAP_INTAKE_SECRET": "prefect-secret:intake-key",
        "ROADMAP_PUBLIC_BASE_URL": "https://roadmap.example.org",
        "ROADMAP_ENVIRONMENT": "production",
    }.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    result = runner.invoke(cli_app, ["intake", "link", "--obligation", "6.1:2025-06"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().rsplit("/", 1)[1]
    assert read_token(token, key=KEY.encode(), now=dt.datetime.now(dt.UTC)).org == "minsoc"
    # production checks the resolved value, not the reference
    monkeypatch.setenv("ROADMAP_INTAKE_SECRET", "prefect-secret:short-intake-key")
    result = runner.invoke(cli_app, ["intake", "link", "--obligation", "6.1:2025-06"])
    assert result.exit_code == 1 and "короче 32 символов" in result.stderr
    services_runtime.reset()


def test_every_channels_prefect_secret_is_read_through_this_runtimes_api_and_auth(
    api: str, tmp_path: Path, clean_env: None, max_bot: MaxApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.blocks.system import Secret
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    imap = "imap://reader:pw@127.0.0.1:1/INBOX"
    smtp = "mailto://127.0.0.1:1?from=robot@roadmap.example.org"
    blocks = {"smtp-url": smtp, "tg-token": "123456:TEST", "max-token": max_bot.token}
    with temporary_settings(updates={PREFECT_API_URL: api, PREFECT_API_AUTH_STRING: AUTH}):
        for name, value in {**blocks, "imap-url": imap}.items():
            Secret(value=value).save(name, overwrite=True)
    # the process itself knows no Prefect API: only the runtime's settings name it
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    rt = Runtime(
        Settings(
            home=tmp_path,
            smtp_url=SecretStr("prefect-secret:smtp-url"),
            telegram_bot_token=SecretStr("prefect-secret:tg-token"),
            max_bot_token=SecretStr("prefect-secret:max-token"),
            max_api_url=max_bot.url,
            imap_url=SecretStr("prefect-secret:imap-url"),
            prefect_api_url=api,
            prefect_auth_string=SecretStr(AUTH),
        )
    )
    assert rt.channel_secrets == ChannelSecrets(smtp, "123456:TEST", max_bot.token, imap)
    assert max_bot.token not in repr(rt.channel_secrets)
    # MAX's transport carries the block's token: the local Bot API takes the message
    message = Outgoing(
        channel="max",
        address="user:100002",
        recipient_name="Анна",
        subject="Тема",
        text="Текст",
        html="<p>Текст</p>",
        chat="Текст",
        message_id="<m1@test.roadmap>",
        thread_id="<t1@test.roadmap>",
    )
    assert rt.transports.max is not None
    assert rt.transports.max.send(message, rt.now()).ok
    assert [m["text"] for m in max_bot.delivered] == ["Текст"]
