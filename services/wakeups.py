"""Waking flow runs that wait for something just recorded (evidence, values, agenda items).

A flow that needs input pauses and registers the keys it waits on (``storage.waits``).
Whoever records the input (the command line, the intake page) calls ``wake_waiting``,
which resumes those runs through Prefect's HTTP API (``POST /api/flow_runs/{id}/resume``);
the flow then reads storage, the single record, whatever the channel. Prefect being down
is not an error here: the flow's own timeout and the ladder take over.
"""

from __future__ import annotations

import datetime as dt
import logging

import httpx
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.waits import waiting_runs

log = logging.getLogger(__name__)


def wake_waiting(
    *, engine: Engine, keys: list[str], api_url: str | None, at: dt.datetime
) -> list[str]:
    """Resume the runs waiting on ``keys``; returns the ids of those resumed."""
    if not api_url:
        return []
    with session_scope(engine) as s:
        runs = waiting_runs(session=s, keys=keys)
    woken = []
    for run_id in runs:
        try:
            response = httpx.post(
                f"{api_url.rstrip('/')}/flow_runs/{run_id}/resume",
                json={"run_input": {}},
                timeout=10,
            )
        except httpx.HTTPError as exc:
            log.warning("could not reach Prefect to resume %s: %s", run_id, type(exc).__name__)
            continue
        if response.status_code < 300 and response.json().get("status") == "ACCEPT":
            woken.append(run_id)
    return woken
