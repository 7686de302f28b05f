"""Calls to the Prefect API with an end (``services.prefect_calls``): Prefect's own clients,
sync and async, and ours, a flow's engine and a secret read by the command line, against a
server in Prefect's place on loopback that sends its header or its body a byte a second,
answers 300 MB or a gzip bomb, or asks to come back in an hour."""

from __future__ import annotations

import asyncio
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from services import prefect_calls
from services import runtime as services_runtime
from services.prefect_calls import (
    ANSWER_LIMIT,
    BoundedAsyncClient,
    BoundedClient,
    PrefectAnswerTooLarge,
    PrefectTooSlow,
    limits,
)
from tests.peers import TRICKLE, hostile_prefect, outcome

SECONDS = 3  # the deadline the tests set (``TOTAL`` is 120 s)
KINDS = ["sync", "async", "ours", "ours-async"]


@pytest.fixture(autouse=True, scope="module")
def bounded() -> None:
    """Prefect's clients bounded, and loaded before any memory is traced."""
    prefect_calls.install()
    from prefect.client.orchestration import get_client  # noqa: F401


def hello(api: str, kind: str) -> None:
    """Prefect's client, sync (the flow engine's) or async (the runner's), says hello; or
    ours (``BoundedClient``: the stack's health check, wake-ups; ``BoundedAsyncClient``: the
    registration's upserts) does."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if kind == "ours":
        with BoundedClient() as http:
            http.get(f"{api}/hello")
        return
    if kind == "ours-async":

        async def get() -> None:
            async with BoundedAsyncClient() as http:
                await http.get(f"{api}/hello")

        asyncio.run(get())
        return
    with temporary_settings(updates={PREFECT_API_URL: api}):
        if kind == "sync":
            with get_client(sync_client=True) as client:
                client.hello()
            return

        async def say() -> None:
            async with get_client() as client:
                await client.hello()

        asyncio.run(say())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", ["trickle-head", "trickle-body"])
def test_a_prefect_call_answered_a_byte_a_second_is_cut_at_its_deadline(
    mode: str, kind: str
) -> None:
    """Each byte comes well within Prefect's 60 s read timeout; the call's deadline (here
    3 s) ends it, header or body. Without it the client read all 60 bytes, a minute."""
    with hostile_prefect(mode) as peer, limits(total=SECONDS):
        error = outcome(lambda: hello(peer.url, kind))
        [(sent, hung_up)] = peer.answered()
    assert isinstance(error, PrefectTooSlow), repr(error)
    assert str(error) == "сервер Prefect не ответил за 3 с"
    assert hung_up and sent < TRICKLE / 2, (sent, hung_up)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", ["huge", "gzip-bomb"])
def test_a_prefect_answer_past_the_ceiling_is_refused_and_not_held(mode: str, kind: str) -> None:
    """300 MB without a length, or 200 KB of gzip that inflates to 200 MB though the answer
    was asked uncompressed. Without the ceiling the client held 600 MB and 400 MB."""
    with hostile_prefect(mode) as peer:
        tracemalloc.start()
        try:
            error = outcome(lambda: hello(peer.url, kind))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        [(sent, hung_up)] = peer.answered()
    assert isinstance(error, PrefectAnswerTooLarge), repr(error)
    assert peak < 2 * ANSWER_LIMIT, f"{peak / 2**20:.0f} MB held for one call"
    if mode == "huge":
        assert str(error) == "ответ сервера Prefect больше 16 МБ: дальше не читался"
        assert hung_up and sent < 100 * 1024 * 1024, sent  # of 300 MB
    else:
        assert "прислал ответ сжатым (gzip)" in str(error)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_retry_after_of_an_hour_ends_the_call_within_its_deadline(kind: str) -> None:
    """Prefect's client waits whatever ``Retry-After`` asks before trying again (503 is one
    of its codes to retry); the sync client's wait is not begun, the async one is cut."""
    with hostile_prefect("retry-after") as peer, limits(total=SECONDS):
        error = outcome(lambda: hello(peer.url, kind))
    assert isinstance(error, PrefectTooSlow), repr(error)
    assert len(peer.answers) == 1  # asked once, never again
    if kind == "sync":
        assert "просит подождать" in str(error) and "дольше срока вызова (3 с)" in str(error)


def test_a_flow_started_against_a_trickling_server_ends_at_the_deadline() -> None:
    """The flow engine's first call (its health check of the API) is cut; Prefect then says
    it could not reach the API, and the server saw the client hang up."""
    from prefect import flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    @flow
    def tiny() -> int:
        return 1

    def run() -> None:
        with temporary_settings(updates={PREFECT_API_URL: peer.url}):
            tiny()

    with hostile_prefect("trickle-body") as peer, limits(total=SECONDS):
        error = outcome(run)
        [(sent, hung_up)] = peer.answered()
    assert error is not None and "Failed to reach API" in str(error), repr(error)
    assert hung_up and sent < TRICKLE / 2


@pytest.mark.parametrize("mode", ["trickle-head", "huge"])
def test_a_secret_read_through_a_hostile_prefect_fails_in_russian_on_the_command_line(
    mode: str, tmp_path: Path
) -> None:
    """``ROADMAP_INTAKE_SECRET=prefect-secret:intake-key``: ``roadmap intake link`` reads the
    Secret block through Prefect's client; the cut call reaches the person as one line."""
    env = {
        "ROADMAP_HOME": str(tmp_path),
        "ROADMAP_INTAKE_SECRET": "prefect-secret:intake-key",
        "ROADMAP_PUBLIC_BASE_URL": "https://roadmap.example.org",
    }
    command = ["intake", "link", "--obligation", "6.1:2025-06"]
    with hostile_prefect(mode) as peer, limits(total=SECONDS):
        env["ROADMAP_PREFECT_API_URL"] = peer.url
        results = []
        try:
            outcome(lambda: results.append(CliRunner().invoke(cli_app, command, env=env)))
        finally:
            services_runtime.reset()  # the runtime built from this environment
        [(_, hung_up)] = peer.answered()
    [result] = results
    why = {
        "trickle-head": "сервер Prefect не ответил за 3 с",
        "huge": "ответ сервера Prefect больше 16 МБ: дальше не читался",
    }[mode]
    assert result.exit_code == 1 and hung_up
    assert result.stderr.strip() == f"Ошибка: секрет «intake-key» из Prefect не прочитан: {why}"
    assert "Traceback" not in result.output
