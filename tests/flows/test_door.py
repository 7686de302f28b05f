"""The door in front of the Prefect server (``flows.door``): a real server started as
``roadmap up`` starts it, guessed at as an attacker would, from several loopback addresses."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import sync_playwright
from starlette.testclient import TestClient
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from flows.door import Throttle, _basic, door_for
from tests.conftest import REPO
from tests.intake.test_browser import ARGS, CHROMIUM
from tests.peers import free_port, running_server, seed_prefect_home

LOCAL = r"127\.0\.0\.1(?!\d)"  # this address, not 127.0.0.11
AUTH = "roadmap:" + "Vx3_q9Lr-T2mZ8wKpY4nB7cD1fGhJ6sA"
WEAK = "roadmap:1"


@dataclass
class Server:
    url: str
    log: Path


@contextmanager
def serve(home: Path, *options: str) -> Iterator[Server]:
    """``python -m flows.door`` on a new SQLite database with the auth string set."""
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(seed_prefect_home(home / "prefect")),
        "PREFECT_SERVER_API_AUTH_STRING": AUTH,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
    }
    log = home / "server.log"
    command = [sys.executable, "-m", "flows.door", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, *options], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    with running_server(server, url, "the server behind the door", log):
        yield Server(url, log)


@pytest.fixture(scope="module")
def door(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("door")) as server:
        yield server


def client(address: str) -> httpx.Client:
    """A client whose requests come from ``address`` (any of 127.0.0.0/8)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def basic(auth: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}


def test_300_wrong_passwords_are_refused_after_five_each_logged_and_the_right_one_still_gets_in(
    door: Server,
) -> None:
    api = f"{door.url}/api/admin/version"
    guesses = [f"roadmap:guess-{i:04d}" for i in range(300)]
    with client("127.0.0.11") as attacker:
        answers = [attacker.get(api, headers=basic(g)) for g in guesses[:150]]
        # the right string gets in from the blocked address itself (the stack's own clients
        # share 127.0.0.1 with any local user); a strong string is not found by guessing
        assert attacker.get(api, headers=basic(AUTH)).status_code == 200
        answers += [attacker.get(api, headers=basic(g)) for g in guesses[150:]]
        statuses = [a.status_code for a in answers]
        assert statuses[:5] == [401] * 5  # Prefect's own refusal, each counted
        assert set(statuses[5:]) == {429}  # then the door, before and after the right one
        # each failure that follows doubles the wait, up to an hour
        assert 3500 < int(answers[-1].headers["Retry-After"]) <= 3600
        assert "неудачных попыток" in answers[-1].json()["exception_message"]
    with client("127.0.0.12") as person:
        assert person.get(api, headers=basic(AUTH)).status_code == 200
        assert person.get(api, headers=basic("roadmap:typo")).status_code == 401
        assert person.get(api, headers=basic(AUTH)).status_code == 200
        assert person.get(f"{door.url}/", timeout=10).status_code == 200  # the UI's page
    text = door.log.read_text("utf-8")
    lines = [x for x in text.splitlines() if "вход в Prefect" in x and "127.0.0.11" in x]
    refused = [x for x in lines if "неверная строка входа" in x]
    blocked = [x for x in lines if "отклонена, адрес заблокирован ещё на" in x]
    assert len(refused) == 300 and len(blocked) == 295  # every attempt, with its address
    assert any("заблокирован на 60 с после 5" in x for x in lines)
    assert not any(g.split(":")[1] in text for g in guesses)  # never what was sent
    assert AUTH.split(":")[1] not in text
    assert sum("127.0.0.12" in x and "неверная строка входа" in x for x in text.splitlines()) == 1


def _socket(url: str, source: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect((host, int(port)))
    return sock


def _events(url: str, source: str, token: str) -> str:
    """What the server answers a websocket's ``auth`` message from ``source``."""
    ws_url = url.replace("http://", "ws://") + "/api/events/out"
    with connect(ws_url, sock=_socket(url, source), subprotocols=[Subprotocol("prefect")]) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        try:
            return str(json.loads(ws.recv(timeout=10))["type"])
        except Exception as exc:  # closed by the server: Invalid token
            return type(exc).__name__


def test_wrong_tokens_on_the_websocket_count_too_and_the_right_one_still_subscribes(
    door: Server,
) -> None:
    for i in range(5):
        assert _events(door.url, "127.0.0.21", f"ws-guess-{i}") != "auth_success"
    # the sixth is closed by the door (Prefect never sees it), the right one from the same
    # blocked address subscribes, and a seventh guess is closed again
    assert _events(door.url, "127.0.0.21", "ws-guess-5") == "ConnectionClosedError"
    assert _events(door.url, "127.0.0.21", AUTH) == "auth_success"
    assert _events(door.url, "127.0.0.21", "ws-guess-6") == "ConnectionClosedError"
    assert _events(door.url, "127.0.0.22", AUTH) == "auth_success"
    lines = [x for x in door.log.read_text("utf-8").splitlines() if "127.0.0.21" in x]
    assert sum("неверная строка входа" in x for x in lines) == 7
    assert sum("отклонена, адрес заблокирован" in x for x in lines) == 2


def test_throttle_counts_different_strings_doubles_the_wait_and_forgets_a_quiet_address() -> None:
    now = [0.0]
    throttle = Throttle(clock=lambda: now[0], remember=3)
    for _ in range(10):  # one typo sent again and again (the UI's parallel calls) counts once
        assert throttle.failed("10.0.0.1", "roadmap:typo") == (1, 0)
    for i in range(2, 5):
        assert throttle.failed("10.0.0.1", f"x{i}") == (i, 0)
    assert throttle.failed("10.0.0.1", "x5") == (5, 60)
    now[0] = 61.0
    assert throttle.retry_after("10.0.0.1") == 0
    assert throttle.failed("10.0.0.1", "x6") == (6, 120)  # twice as long
    now[0] = 61.0 + 120 + 901  # quiet for longer than forget_after: a fresh start
    assert throttle.failed("10.0.0.1", "x7") == (1, 0)
    for address in ("10.0.0.2", "10.0.0.3", "10.0.0.4"):
        throttle.failed(address, "y")
    assert len(throttle._records) == 3  # the oldest address was dropped, memory stays bounded
    assert "10.0.0.1" not in throttle._records
    # a host picks a new IPv6 address in its /64 for every guess: they count together
    ipv6 = Throttle(clock=lambda: now[0])
    for i in range(1, 5):
        assert ipv6.failed(f"2001:db8:1:2::{i:x}", f"z{i}") == (i, 0)
    assert ipv6.failed("2001:db8:1:2:ffff::1", "z5") == (5, 60)
    assert ipv6.retry_after("2001:db8:1:2::abcd") == 60
    assert ipv6.retry_after("2001:db8:1:3::1") == 0  # the next /64 is someone else


def test_the_ui_logs_in_through_the_door_and_a_typo_there_is_logged_once(door: Server) -> None:
    """Prefect's UI (its login page, then the dashboard's API calls) through the door; runs
    before the forged-header test, which blocks 127.0.0.1, the browser's address."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        try:
            page.goto(f"{door.url}/")
            page.get_by_placeholder("admin:pass").fill("roadmap:a-typo-in-the-login")
            page.get_by_role("button", name="Login").click()
            page.wait_for_timeout(2000)  # the UI tries it; it must stay on the login page
            assert "/dashboard" not in page.url
            page.get_by_placeholder("admin:pass").fill(AUTH)
            page.get_by_role("button", name="Login").click()
            page.wait_for_url("**/dashboard**", timeout=60_000)
        finally:
            browser.close()
    lines = [x for x in door.log.read_text("utf-8").splitlines() if re.search(LOCAL, x)]
    assert sum("неверная строка входа" in x for x in lines) >= 1
    assert not any("заблокирован" in x for x in lines)


def test_a_forged_forwarded_for_does_not_make_each_guess_a_new_address(door: Server) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 by default; the door believes no
    proxy unless told (``--trusted-proxy``), so a local attacker cannot pose as many."""
    api = f"{door.url}/api/admin/version"
    statuses = []
    with client("127.0.0.1") as attacker:
        for i in range(8):
            forged = {**basic(f"roadmap:forged-{i}"), "X-Forwarded-For": f"203.0.113.{i}"}
            statuses.append(attacker.get(api, headers=forged).status_code)
    # five different strings from 127.0.0.1 in all (the UI test's typo was one of them)
    assert 429 in statuses, statuses
    first = statuses.index(429)
    assert 1 <= first <= 5 and set(statuses[:first]) == {401} and set(statuses[first:]) == {429}
    text = door.log.read_text("utf-8")
    assert "203.0.113." not in text and "с адреса 127.0.0.1 " in text


def test_a_local_guesser_on_127_0_0_1_does_not_lock_out_the_stacks_own_clients_there(
    door: Server,
) -> None:
    """Prefect's own client, as a worker, a served flow or the command line uses it, on the
    loopback address a local user has just guessed at: it gets in, the guesser stays out."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    version = f"{door.url}/api/admin/version"
    settings = {PREFECT_API_URL: f"{door.url}/api", PREFECT_API_AUTH_STRING: AUTH}
    with client("127.0.0.1") as guesser, temporary_settings(updates=settings):
        guessed = [guesser.get(version, headers=basic(f"roadmap:local-{i}")) for i in range(6)]
        assert guessed[-1].status_code == 429  # blocked (here or by the earlier tests)
        for i in range(3):
            with get_client(sync_client=True) as stack:
                assert stack.hello().status_code == 200
            again = guesser.get(version, headers=basic(f"roadmap:local-again-{i}"))
            assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    text = door.log.read_text("utf-8")
    lines = [x for x in text.splitlines() if re.search(LOCAL, x)]
    assert sum("отклонена, адрес заблокирован" in x for x in lines) >= 4  # each guess logged
    assert "local-" not in text  # never what was sent


def test_with_a_weak_string_a_blocked_address_waits_even_with_the_right_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A weak string (development allows one) would let a blocked guesser learn a right
    guess at once: then the door lets nothing through from a blocked address. Prefect's place
    is taken by a small application answering 200 to the right string and 401 to others."""

    def statuses(auth: str) -> list[int]:
        async def prefect(scope: Any, receive: Any, send: Any) -> None:
            status = 200 if _basic(scope) == auth else 401
            await send({"type": "http.response.start", "status": status, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        page = TestClient(door_for(prefect, auth))  # every request from «testclient»
        tries = [page.get("/api/flows", headers=basic(f"roadmap:g{i}")) for i in range(6)]
        tries.append(page.get("/api/flows", headers=basic(auth)))
        return [t.status_code for t in tries]

    with caplog.at_level(logging.WARNING, logger="roadmap.door"):
        assert statuses(WEAK) == [401] * 5 + [429, 429]
    assert "строка входа слабая (пароль: короче 32 символов)" in caplog.text
    assert statuses(AUTH) == [401] * 5 + [429, 200]


def test_behind_a_named_proxy_each_forwarded_client_is_counted_alone(tmp_path: Path) -> None:
    """``--trusted-proxy`` (``ROADMAP_PREFECT_TRUSTED_PROXIES`` for ``roadmap up``): the
    proxy's X-Forwarded-For names the client; anyone else's header is still ignored."""
    with serve(tmp_path, "--trusted-proxy", "127.0.0.31") as door:
        api = f"{door.url}/api/admin/version"
        with client("127.0.0.31") as proxy:

            def via(who: str, auth: str) -> int:
                headers = {**basic(auth), "X-Forwarded-For": who}
                return proxy.get(api, headers=headers).status_code

            guesses = [via("198.51.100.7", f"roadmap:guess-{i}") for i in range(7)]
            assert guesses == [401] * 5 + [429] * 2
            assert via("198.51.100.8", AUTH) == 200  # another client of the same proxy
        with client("127.0.0.32") as other:  # not the proxy: its header is not believed
            forged = {**basic("roadmap:nope"), "X-Forwarded-For": "198.51.100.9"}
            assert other.get(api, headers=forged).status_code == 401
        text = door.log.read_text("utf-8")
    assert "адрес 198.51.100.7 заблокирован" in text
    assert "с адреса 127.0.0.32 " in text and "198.51.100.9" not in text
