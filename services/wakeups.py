"""Waking flow runs that wait for something just recorded (evidence, values, agenda items).

A flow that needs input pauses and registers the keys it waits on (``storage.waits``).
Whoever records the input (the command line, the intake page) calls ``wake_waiting``,
which resumes those runs through Prefect's HTTP API (``POST /api/flow_runs/{id}/resume``);
the flow then reads storage, the single record, whatever the channel. Prefect being down
is not an error here: the flow's own timeout and the ladder take over. When the server
requires an auth string (``roadmap up`` always does), it is sent as Prefect's own client
sends it: HTTP basic credentials. Each call has an end (``services.prefect_calls``): at most
``ANSWER_LIMIT`` bytes of the answer are read, and the call ends ``TOTAL`` seconds after it
began, its headers as much as its body, so a server answering without end holds neither the
page's worker nor its memory.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy.engine import Engine

from roadmap.obligations.keys import WaitKey
from services.prefect_calls import BoundedClient, PrefectCallCut
from storage.db import session_scope
from storage.waits import waiting_runs

log = logging.getLogger(__name__)
ANSWER_LIMIT = 64 * 1024  # Prefect's answer to a resume is a few hundred bytes
TOTAL = 30.0


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
    total: float = TOTAL,
) -> list[str]:
    """Resume the runs waiting on ``keys``; returns the ids of those resumed (each call to
    Prefect ends within ``total`` seconds)."""
    if not api_url:
        return []
    with session_scope(engine) as s:
        runs = waiting_runs(session=s, keys=keys)
    woken = []
    for run_id in runs:
        try:
            status, answer = _resume(
                f"{api_url.rstrip('/')}/flow_runs/{run_id}/resume", auth, total
            )
        except PrefectCallCut as exc:
            log.warning("could not resume %s: %s", run_id, exc)
            continue
        except httpx.HTTPError as exc:
            log.warning("could not reach Prefect to resume %s: %s", run_id, type(exc).__name__)
            continue
        if status == 401:
            log.warning("Prefect refused to resume %s: wrong or missing auth string", run_id)
            continue
        if status < 300 and isinstance(answer, dict) and answer.get("status") == "ACCEPT":
            woken.append(run_id)
    return woken


def _resume(url: str, auth: str | None, total: float) -> tuple[int, Any]:
    """POST a resume; its status and JSON answer, read within the bounds.

    Raises:
        httpx.HTTPError: Prefect could not be reached, or its answer was cut
            (``services.prefect_calls.PrefectCallCut``).
    """
    with BoundedClient(total=total, answer=ANSWER_LIMIT, timeout=10) as http:
        answer = http.post(url, json={"run_input": {}}, headers=auth_headers(auth))
    try:
        return answer.status_code, json.loads(answer.content)
    except ValueError:
        return answer.status_code, None
