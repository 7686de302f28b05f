"""Waking flow runs that wait for something just recorded (evidence, values, agenda items).

A flow that needs input pauses and registers the keys it waits on (``storage.waits``).
Whoever records the input (the command line, the intake page) calls ``wake_waiting``,
which resumes those runs through Prefect's HTTP API (``POST /api/flow_runs/{id}/resume``);
the flow then reads storage, the single record, whatever the channel. Prefect being down
is not an error here: the flow's own timeout and the ladder take over. When the server
requires an auth string (``roadmap up`` always does), it is sent as Prefect's own client
sends it: HTTP basic credentials.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Sequence

import httpx
from sqlalchemy.engine import Engine

from roadmap.obligations.keys import WaitKey
from storage.db import session_scope
from storage.waits import waiting_runs

log = logging.getLogger(__name__)


def auth_headers(auth: str | None) -> dict[str, str]:
    """The ``Authorization`` header Prefect's server expects for ``auth`` (``user:password``)."""
    if not auth:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}


def wake_waiting(
    *,
    engine: Engine,
    keys: Sequence[WaitKey],
    api_url: str | None,
    at: dt.datetime,
    auth: str | None = None,
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
                headers=auth_headers(auth),
                timeout=10,
            )
        except httpx.HTTPError as exc:
            log.warning("could not reach Prefect to resume %s: %s", run_id, type(exc).__name__)
            continue
        if response.status_code == 401:
            log.warning("Prefect refused to resume %s: wrong or missing auth string", run_id)
            continue
        if response.status_code < 300 and response.json().get("status") == "ACCEPT":
            woken.append(run_id)
    return woken
