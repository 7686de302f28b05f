"""Registering deployments (``flows.registration``) with a server in Prefect's place that
answers without end: the registration is cut at its deadline and remembers nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from flows.deployments import DeploymentSpec, Schedule
from flows.registration import register
from services.prefect_calls import PrefectCallCut, limits
from tests.peers import TRICKLE, hostile_prefect, outcome


@pytest.mark.parametrize("mode", ["trickle-head", "huge"])
def test_a_registration_cut_short_remembers_nothing_and_says_why(mode: str, tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    spec = DeploymentSpec(
        name="Проверка регистрации",
        flow="flows.sweep:daily_sweep",
        parameters={},
        description="Проверка регистрации.",
        tags=("проверка",),
        schedules=(Schedule("RDATE:20261201T090000"),),
        timezone="UTC",
    )
    state = tmp_path / "registered.json"

    def run() -> None:
        with temporary_settings(updates={PREFECT_API_URL: peer.url}):
            asyncio.run(register([spec], state_file=state))

    with hostile_prefect(mode) as peer, limits(total=3):
        error = outcome(run)
        [(sent, hung_up)] = peer.answered()
    assert isinstance(error, PrefectCallCut), repr(error)
    assert (
        str(error)
        == {
            "trickle-head": "сервер Prefect не ответил за 3 с",
            "huge": "ответ сервера Prefect больше 16 МБ: дальше не читался",
        }[mode]
    )
    assert hung_up
    if mode == "trickle-head":
        assert sent < TRICKLE / 2
    assert not state.exists()  # the next start sends everything again
