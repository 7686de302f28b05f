"""Registering every deployment with the Prefect server at once, then serving them.

Prefect's ``serve()`` registers deployments one by one, each with several requests (read
by name, create or update, its automations): 0.2–0.4 s each, so fourteen programs (about
1 400 deployments) would wait minutes before anything runs. Here:

- what a deployment takes from its flow (entrypoint, path, version, parameter schema) is
  worked out once per flow, as ``Flow.to_deployment`` does it, not once per deployment;
- each deployment is one upsert (``POST /deployments/``: the server replaces its
  schedules), sent through one client: one at a time on SQLite (``CONCURRENCY``), whose
  one writer a second upsert only fights for, several on PostgreSQL; a busy answer (503:
  the writer was taken, e.g. by the scheduler) is tried again within milliseconds, not
  after Prefect's client's 2, 4, 8 … s;
- all that is worked out while the server starts (``plan``); then only what changed since
  the last start is sent: each deployment's payload is hashed, and the hashes and ids are
  kept in ``registered.json`` beside the Prefect server's database.
  An unchanged deployment the server still has, unpaused, is left alone (one count request
  checks them all);
- deployments registered before that are no longer wanted (a program taken out of
  ``ROADMAP_PROGRAMS``, an activity dropped) are paused, so their schedules stop;
- then Prefect's ``Runner`` runs the registered deployments' scheduled runs, as
  ``serve()`` does. It does not pause them on stopping: the server stops with the stack,
  and a run that fell due meanwhile is run when the stack is back (each for its own day).
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import importlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from flows.deployments import DeploymentSpec, form_schema
from services import prefect_calls
from services.prefect_calls import BoundedAsyncClient
from services.wakeups import auth_headers

# Upserts in flight. On SQLite two only collide (each reads, then wants the one writer):
# 1 401 deployments took 112 s one at a time; two at a time, retried promptly, one was
# refused as busy twenty times in a row. PostgreSQL takes concurrent writes.
CONCURRENCY = 1
CONCURRENCY_POSTGRES = 4
STATE_VERSION = 1


@dataclass(frozen=True)
class FlowPart:
    """What every deployment of one flow shares."""

    flow_name: str
    entrypoint: str
    path: str | None
    version: str | None
    schema: dict[str, Any]


@dataclass
class Registration:
    """What a start registered: sent now, kept as they were, paused as no longer wanted."""

    ids: dict[str, UUID]  # deployment name → id
    sent: int
    kept: int
    paused: int
    seconds: float


def flow_of(spec: DeploymentSpec) -> Any:
    module, func = spec.flow.split(":")
    return getattr(importlib.import_module(module), func)


async def flow_part(flow: Any) -> FlowPart:
    """The flow's share of a deployment, as ``Flow.to_deployment`` computes it."""
    template = await flow.ato_deployment(name="template")
    return FlowPart(
        flow_name=flow.name,
        entrypoint=template.entrypoint,
        path=template._path,
        version=template.version,
        schema=template._parameter_openapi_schema.model_dump(exclude_unset=True),
    )


def payload(spec: DeploymentSpec, part: FlowPart, timezone: str | None) -> dict[str, Any]:
    """The deployment as the server's create endpoint takes it (JSON values only)."""
    zone = spec.timezone or timezone
    return {
        "name": spec.name,
        "version": part.version,
        "parameters": dict(spec.parameters),
        "description": spec.description,
        "tags": list(spec.tags),
        "entrypoint": part.entrypoint,
        "path": part.path,
        # the run form: the flow's schema with the deployment's choices from the program data
        "parameter_openapi_schema": form_schema(copy.deepcopy(part.schema), spec),
        "enforce_parameter_schema": True,
        "paused": False,
        "schedules": [
            {
                "schedule": s.as_prefect(zone),
                "active": True,
                "parameters": dict(s.parameters),
            }
            for s in spec.schedules
        ],
    }


def spec_hash(flow_name: str, body: dict[str, Any]) -> str:
    text = json.dumps([flow_name, body], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _read_state(path: Path) -> dict[str, dict[str, str]]:
    """What the last start registered: deployment key → its payload's hash and its id.

    The state is the stack's (it sits beside the Prefect server's database); whether the
    server still has those ids is asked of the server itself, whatever its address now.
    """
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if state.get("version") != STATE_VERSION:
        return {}
    known = state.get("deployments")
    return known if isinstance(known, dict) else {}


def _write_state(path: Path, known: dict[str, dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    data = {"version": STATE_VERSION, "deployments": known}
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    tmp.replace(path)


# SQLite's one writer: a busy server answers 503 («try again») at once, and the writer is
# free again within milliseconds; Prefect's client would wait 2, 4, 8 … s before trying again.
ATTEMPTS = 40
FIRST_WAIT = 0.05  # seconds, doubled after each busy answer up to MAX_WAIT
MAX_WAIT = 2.0


def _api_client() -> httpx.AsyncClient:
    """A plain HTTP client for the Prefect API this process points at, with its auth string;
    each upsert ends within ``services.prefect_calls.TOTAL`` seconds, as Prefect's calls do."""
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL

    base = f"{str(PREFECT_API_URL.value()).rstrip('/')}/"
    headers = auth_headers(PREFECT_API_AUTH_STRING.value())
    return BoundedAsyncClient(base_url=base, headers=headers, timeout=120)


async def _upsert(http: httpx.AsyncClient, data: dict[str, Any]) -> UUID:
    """Send one deployment; a busy answer is tried again after a short wait.

    Raises:
        httpx.HTTPStatusError: the server refused it, or stayed busy.
    """
    for attempt in range(ATTEMPTS):
        response = await http.post("deployments/", json=data)
        if response.status_code != 503 or attempt == ATTEMPTS - 1:
            break
        await asyncio.sleep(min(FIRST_WAIT * 2**attempt, MAX_WAIT))
    response.raise_for_status()
    return UUID(response.json()["id"])


async def _count(client: Any, body: dict[str, Any]) -> int:
    response = await client.request("POST", "/deployments/count", json=body)
    return int(response.json())


@dataclass(frozen=True)
class Planned:
    """A deployment ready to send: its spec, its flow's part, its payload and that's hash."""

    spec: DeploymentSpec
    part: FlowPart
    body: dict[str, Any]
    digest: str

    @property
    def key(self) -> str:
        return f"{self.part.flow_name}/{self.spec.name}"


async def plan(specs: Sequence[DeploymentSpec], timezone: str | None = None) -> list[Planned]:
    """The payloads of ``specs``, worked out before any server is asked (it may be starting)."""
    parts: dict[str, FlowPart] = {}
    out = []
    for spec in specs:
        if spec.flow not in parts:
            parts[spec.flow] = await flow_part(flow_of(spec))
        part = parts[spec.flow]
        body = payload(spec, part, timezone)
        out.append(Planned(spec, part, body, spec_hash(part.flow_name, body)))
    return out


async def register(
    specs: Sequence[DeploymentSpec],
    *,
    state_file: Path,
    timezone: str | None = None,
    concurrency: int = CONCURRENCY,
) -> Registration:
    """Register ``specs`` with the Prefect API this process points at; only what changed."""
    started = time.perf_counter()
    planned = await plan(specs, timezone)
    return await register_planned(
        planned, state_file=state_file, concurrency=concurrency, started=started
    )


async def register_planned(
    planned: Sequence[Planned],
    *,
    state_file: Path,
    concurrency: int = CONCURRENCY,
    started: float | None = None,
) -> Registration:
    """Send what changed since the last start, pause what is no longer wanted.

    Nothing is remembered unless every deployment was sent: a call cut short
    (``PrefectCallCut``) leaves ``state_file`` as it was, and the next start sends again.

    Raises:
        httpx.HTTPStatusError: the server refused a deployment.
        services.prefect_calls.PrefectCallCut: a call was too slow or its answer too large.
    """
    prefect_calls.install()
    from prefect.client.orchestration import get_client

    started = time.perf_counter() if started is None else started
    known = _read_state(state_file)
    wanted = {p.key for p in planned}
    unchanged = {p.key for p in planned if known.get(p.key, {}).get("hash") == p.digest}
    async with get_client() as client, _api_client() as http:
        unchanged = await _still_registered(client, known, unchanged)
        to_send = [p for p in planned if p.key not in unchanged]
        # a warm start with nothing changed asks the server for no flow at all
        names = sorted({p.part.flow_name for p in to_send})
        flow_ids = {name: await client.create_flow_from_name(name) for name in names}
        gate = asyncio.Semaphore(concurrency)

        async def send(p: Planned) -> UUID:
            # the payload goes as JSON, as the server validates it: the client's models
            # would parse every RDATE list once more on this side
            data = {**p.body, "flow_id": str(flow_ids[p.part.flow_name])}
            async with gate:
                return await _upsert(http, data)

        sent = await asyncio.gather(*(send(p) for p in to_send))
        new_ids = {p.key: i for p, i in zip(to_send, sent, strict=True)}
        stale = [v["id"] for k, v in known.items() if k not in wanted]

        async def pause(deployment_id: str) -> None:
            async with gate:
                try:
                    await client.pause_deployment(deployment_id)
                except Exception:  # already gone from the server: nothing to stop
                    pass

        await asyncio.gather(*(pause(x) for x in stale))
    ids = _save_state(state_file, planned, known, new_ids)
    return Registration(
        ids=ids,
        sent=len(to_send),
        kept=len(planned) - len(to_send),
        paused=len(stale),
        seconds=time.perf_counter() - started,
    )


async def _still_registered(
    client: Any, known: dict[str, dict[str, str]], unchanged: set[str]
) -> set[str]:
    """The unchanged deployments, if the server still has them all running; else none."""
    if not unchanged:
        return unchanged
    known_ids = [known[k]["id"] for k in unchanged]
    alive = await _count(
        client, {"deployments": {"id": {"any_": known_ids}, "paused": {"eq_": False}}}
    )
    if alive != len(known_ids):  # the server lost or paused some: send them all again
        return set()
    return unchanged


def _save_state(
    state_file: Path,
    planned: Sequence[Planned],
    known: dict[str, dict[str, str]],
    new_ids: dict[str, UUID],
) -> dict[str, UUID]:
    """Remember each deployment's hash and id for the next start; its id by spec name."""
    state: dict[str, dict[str, str]] = {}
    ids: dict[str, UUID] = {}
    for p in planned:
        deployment_id = new_ids.get(p.key) or UUID(known[p.key]["id"])
        state[p.key] = {"hash": p.digest, "id": str(deployment_id)}
        ids[p.spec.name] = deployment_id
    _write_state(state_file, state)
    return ids


async def run_registered(
    ids: dict[str, UUID], *, limit: int | None = None, once: bool = False
) -> None:
    """Run the scheduled runs of these registered deployments until interrupted.

    ``once``: one look for runs due now, run them, and return (tests use it).

    Prefect's ``Runner`` takes deployments through ``add_deployment``, which registers each
    again one by one; the deployments here are registered already, so they are handed to
    its registry of deployments directly (the one step that reaches into the Runner).
    """
    prefect_calls.install()
    from prefect.runner import Runner

    runner = Runner(pause_on_shutdown=False, limit=limit)
    registry = runner._deployment_registry
    for name, deployment_id in ids.items():
        registry.register_deployment(deployment_id, name)
    await runner.start(run_once=once)


async def register_and_serve(
    planned: Sequence[Planned],
    *,
    state_file: Path,
    ready: Callable[[Registration], None],
    concurrency: int = CONCURRENCY,
) -> None:
    """Register what changed, tell ``ready``, then serve every deployment until interrupted."""
    registration = await register_planned(planned, state_file=state_file, concurrency=concurrency)
    ready(registration)
    await run_registered(registration.ids)
