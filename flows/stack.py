"""Bringing the whole stack up on one machine: the Prefect server, the program, the intake
page and every deployment, and stopping all of it again.

``roadmap up`` is this use case behind a console: it reads no settings itself and starts no
process of its own.

The Prefect server always requires an auth string (HTTP basic, ``user:password``): the one
set in ``ROADMAP_PREFECT_AUTH_STRING``, or one generated on first start and kept in
``ROADMAP_HOME/prefect-auth`` (mode 0600). Every process the stack starts is given it as
``PREFECT_API_AUTH_STRING``. Beyond this machine (``--host`` not loopback) the string must be
set, and its password strong (``services.keys``). The server runs behind the project's door
(``flows.door``), which throttles and logs failed logins. Log files are created readable by
their owner only, and so is Prefect's home (its database holds the Secret blocks).

Links are signed with ROADMAP_INTAKE_SECRET, or, unset, with a key made on the first start
and kept in the stack's folder (``intake-key``, mode 0600): every process of the stack gets
it, and links stay valid across restarts. Never a development default.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import ipaddress
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import httpx

from flows.deployments import DeploymentSpec, form_schema, stack_specs
from flows.ports import taken_message
from flows.registration import (
    CONCURRENCY,
    CONCURRENCY_POSTGRES,
    Planned,
    Registration,
    register_and_serve,
)
from flows.registration import plan as plan_deployments
from services import program as program_data
from services import runtime as services_runtime
from services.keys import HOW_TO_MAKE, keep_secret
from services.prefect_calls import BoundedClient
from services.runtime import (
    FEDERAL,
    Runtime,
    keep_prefect_auth,
    kept_intake_key,
    kept_prefect_auth,
)
from services.settings import auth_string_problem
from services.wakeups import auth_headers
from storage.sync import SyncReport


def flow_for(spec: DeploymentSpec) -> Any:
    module, func = spec.flow.split(":")
    return getattr(importlib.import_module(module), func)


def runner_deployments(specs: list[DeploymentSpec], timezone: str) -> list[Any]:
    """The specs as Prefect runner deployments, for Prefect's own ``serve()`` (a few
    deployments served the plain way, e.g. by a test), each with its run form's choices
    from the program data (``form_schema``); ``roadmap up`` registers through
    ``flows.registration`` instead."""
    from prefect.schedules import Cron, RRule
    from prefect.utilities.callables import ParameterSchema

    def schedules(spec: DeploymentSpec) -> list[Any]:
        zone = spec.timezone or timezone
        return [
            Cron(x.cron, timezone=zone, parameters=x.parameters or None)
            if x.cron
            else RRule(x.rrule, timezone=zone, parameters=x.parameters or None)
            for x in spec.schedules
        ]

    deployments = []
    for s in specs:
        d = flow_for(s).to_deployment(
            name=s.name,
            parameters=s.parameters,
            description=s.description,
            tags=list(s.tags),
            schedules=schedules(s),
        )
        # the schema the UI draws the run form from; Prefect exposes no setter for it
        d._parameter_openapi_schema = ParameterSchema(
            **form_schema(d._parameter_openapi_schema.model_dump(), s)
        )
        deployments.append(d)
    return deployments


# Prefect server settings ``roadmap up`` starts its server with, unless the environment
# sets them. Measured on a cold start of fourteen programs (README, «Starting fast»), three
# things took SQLite's one writer from the registration: the scheduler's main loop, which
# re-reads every schedule with fewer than three runs ahead each time it runs (late in a
# program most RDATE lists have none left); the runs it wrote 100 days ahead (some 2 400);
# and the event persister's writes of twenty events at a time. A week ahead is plenty: the
# runner polls every ten seconds, and the loop adds the next runs long before they are due.
SERVER_SETTINGS = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "300",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "P7D",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "500",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL": "10",
}


def server_settings() -> dict[str, str]:
    """``SERVER_SETTINGS`` less what the environment sets itself."""
    return {k: v for k, v in SERVER_SETTINGS.items() if k not in os.environ}


def server_on_postgres() -> bool:
    """Whether the environment gives the Prefect server a PostgreSQL database."""
    names = ("PREFECT_SERVER_DATABASE_CONNECTION_URL", "PREFECT_API_DATABASE_CONNECTION_URL")
    return any(os.environ.get(n, "").startswith("postgresql") for n in names)


class StackError(RuntimeError):
    """The stack could not start; the message says why, in Russian."""


def is_loopback(host: str) -> bool:
    """Whether only this machine reaches ``host`` (``localhost``, 127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def open_private(path: Path) -> IO[bytes]:
    """``path`` opened for appending, created (or narrowed to) mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "ab")


LANES = ("all", "program", "federal")


@dataclass
class Stack:
    """The processes ``roadmap up`` starts, in order, so that they stop in reverse.

    ``lane`` says whose stack it is: ``all`` (one operator: every region and the federal
    view on one server), ``program`` (one region's own server, auth string and intake page:
    ``rt`` is bound to it) or ``federal`` (the federal office's server: the federal view
    over every region). A region's or the federal office's stack keeps its Prefect home,
    auth string and logs in a folder of its own, ``ROADMAP_HOME/stacks/<program|federal>``,
    so that stacks on one machine share nothing but the database.
    """

    rt: Runtime
    host: str
    port: int
    lane: str = "all"
    intake_port: int | None = None  # default: ROADMAP_INTAKE_PORT
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)
    planned: list[Planned] | None = None
    registration: Registration | None = None

    @cached_property
    def home(self) -> Path:
        """Where this stack keeps its Prefect home, auth string and logs."""
        base = self.rt.settings.home
        if self.lane == "program":
            return base / "stacks" / self.rt.program.id
        if self.lane == "federal":
            return base / "stacks" / FEDERAL
        return base

    @property
    def serves(self) -> str:
        """Whom the stack serves, in Russian, for the console."""
        if self.lane == "program":
            return f"регион «{self.rt.program.region}» (своя дверь: свой сервер и пароль)"
        regions = ", ".join(rt.program.region for rt in self.rt.each_program())
        if self.lane == "federal":
            return f"федеральный свод по регионам: {regions}"
        return f"регионы: {regions}, и федеральный свод"

    def check(self, *, intake: bool = True) -> None:
        """Refuse to expose the server with a generated auth string (nobody else knows it) or
        with a weak one, and to start over a port something else (an earlier run left behind)
        holds: the server's, and the intake page's unless ``intake`` is false (the server
        alone)."""
        if not is_loopback(self.host):
            self._check_exposed()
        ports = [(self.host, self.port, "сервер Prefect")]
        if intake:
            page = self.intake_port or self.rt.settings.intake_port
            ports.append((self.rt.settings.intake_host, page, "страница приёма"))
        for host, port, what in ports:
            if (why := taken_message(host, port, what)) is not None:
                raise StackError(why)

    def _check_exposed(self) -> None:
        configured = self.rt.settings.prefect_auth_string
        if configured is None:
            raise StackError(
                f"сервер Prefect на адресе {self.host} доступен не только с этой машины: "
                "задайте ROADMAP_PREFECT_AUTH_STRING (вида «пользователь:пароль») "
                "и поставьте перед сервером обратный прокси с TLS"
            )
        problem = auth_string_problem(configured.get_secret_value())
        if problem:
            raise StackError(
                f"сервер Prefect на адресе {self.host} доступен не только с этой машины, а в "
                f"ROADMAP_PREFECT_AUTH_STRING {problem}; создайте пароль командой {HOW_TO_MAKE}"
            )

    @cached_property
    def intake_key(self) -> str | None:
        """The link key made and kept in the stack's folder when ROADMAP_INTAKE_SECRET is
        unset (None when it is set)."""
        if self.rt.settings.intake_secret is not None:
            return None
        return keep_secret(kept_intake_key(self.home))

    @cached_property
    def auth(self) -> str:
        """The server's auth string: the setting, or the one generated and kept in ROADMAP_HOME."""
        configured = self.rt.settings.prefect_auth_string
        if configured is not None:
            return configured.get_secret_value()
        return keep_prefect_auth(self.home)

    @property
    def login(self) -> str:
        """How a person logs in to the UI, in Russian, without the password itself."""
        user = self.auth.partition(":")[0]
        if self.rt.settings.prefect_auth_string is not None:
            where = "в настройке ROADMAP_PREFECT_AUTH_STRING"
        else:
            where = f"в файле {kept_prefect_auth(self.home).resolve()}"
        return (
            f"Вход в интерфейс Prefect: пользователь {user}; в окне входа введите строку "
            f"«{user}:пароль» целиком, она {where}"
        )

    @property
    def api(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui(self) -> str:
        return f"http://{self.host}:{self.port}"

    def environment(self) -> dict[str, str]:
        """The environment of every process the stack starts (and of this one once served)."""
        s = self.rt.settings
        env = {
            **os.environ,
            "PREFECT_HOME": str((self.home / "prefect").resolve()),
            "PREFECT_API_URL": self.api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_API_AUTH_STRING": self.auth,
            "ROADMAP_PREFECT_API_URL": self.api,
        }
        port = self.intake_port or s.intake_port
        env["ROADMAP_INTAKE_PORT"] = str(port)
        if not s.public_base_url:  # the local intake page, so that messages carry links
            env["ROADMAP_PUBLIC_BASE_URL"] = f"http://{s.intake_host}:{port}"
        if self.intake_key is not None:  # the stack's own key, never a development one
            env["ROADMAP_INTAKE_SECRET"] = self.intake_key
        folder = self.rt.program_folder if self.lane == "program" else None
        if folder is not None:  # a region's processes know its program alone
            env["ROADMAP_PROGRAMS"] = str(folder.resolve())
            env.pop("ROADMAP_PROGRAM", None)
        return env

    def _log(self, name: str) -> IO[bytes]:
        log = open_private(self.home / name)
        self.logs.append(log)
        return log

    def _start(
        self, command: list[str], log: str, extra: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        # its own session: Ctrl-C reaches only us, and we stop the children in order
        out = self._log(log)
        env = {**self.environment(), **(extra or {})}
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)
        self.started.append(proc)
        return proc

    def start_server(
        self, timeout: float = 180, meanwhile: Callable[[], object] | None = None
    ) -> None:
        """Start the Prefect server with its auth string and wait until it answers to it
        (doing ``meanwhile`` first: what needs no server)."""
        self.check(intake=False)  # ``roadmap up`` has checked the page's port before
        self.home.mkdir(parents=True, exist_ok=True)
        # Prefect's database holds the Secret blocks, and the key that encrypts them
        prefect_home = self.home / "prefect"
        prefect_home.mkdir(mode=0o700, exist_ok=True)
        prefect_home.chmod(0o700)
        # Prefect's server behind our door: failed logins throttled and logged (flows.door)
        command = ["-m", "flows.door", "--host", self.host, "--port", str(self.port)]
        if proxies := self.rt.settings.prefect_trusted_proxies:
            command += ["--trusted-proxy", proxies]
        server = self._start(
            [sys.executable, *command],
            "prefect-server.log",
            {**server_settings(), "PREFECT_SERVER_API_AUTH_STRING": self.auth},
        )
        if meanwhile is not None:  # e.g. the programs' sync, which needs no server
            meanwhile()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if server.poll() is not None:
                log = self.home / "prefect-server.log"
                raise StackError(
                    f"сервер Prefect завершился с кодом {server.returncode}; журнал: {log}"
                )
            try:
                # /health answers without credentials; /admin/version only with them
                with BoundedClient(total=5, timeout=2) as http:
                    answer = http.get(f"{self.api}/admin/version", headers=auth_headers(self.auth))
                if answer.status_code == 200:
                    return
            except httpx.HTTPError:  # not listening yet, or cut (``PrefectCallCut``)
                pass
            time.sleep(0.5)
        raise StackError(f"сервер Prefect не ответил за {timeout:.0f} с")

    def prepare(self) -> list[SyncReport]:
        """Store every program the stack serves and, for each with a contacts file, its
        contacts (the federal office's stack reads the regions' data, it does not keep it)."""
        reports: list[SyncReport] = []
        if self.lane == "federal":
            return reports
        for rt in self.rt.each_program():
            reports.append(program_data.sync_with_contacts(rt, by="roadmap up").sync)
        return reports

    def start_intake(self, command: list[str], timeout: float = 60) -> None:
        """Start the intake page and wait until it listens; refuse if it stopped instead."""
        page = self._start(command, "intake.log")
        port = self.intake_port or self.rt.settings.intake_port
        end = time.monotonic() + timeout
        while page.poll() is None and time.monotonic() < end:
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.rt.settings.intake_host, port), timeout=2),
            ):
                return
            time.sleep(0.2)
        log = self.home / "intake.log"
        raise StackError(f"страница приёма не запустилась на порту {port}; журнал: {log}")

    def plan(self, limit: int | None = None) -> None:
        """Work out every deployment's payload (each program's and the federal view's).

        Registration then has only to send; ``roadmap up`` does this while the server starts.
        """
        programs = [(rt.program, rt.calendar) for rt in self.rt.each_program()]
        zone = self.rt.settings.federal_timezone
        specs = stack_specs(programs, federal_timezone=zone, lane=self.lane)[: limit or None]
        os.environ.update(self.environment())  # Prefect, imported with the flows, reads it
        self.planned = asyncio.run(plan_deployments(specs))

    def serve(self, limit: int | None, ready: Callable[[int], None]) -> None:
        """Serve every program's deployments until interrupted; ``ready`` gets their number.

        They are registered concurrently and only when changed (``flows/registration.py``);
        ``registration`` says how it went.
        """
        if self.planned is None:
            self.plan(limit)
        assert self.planned is not None
        os.environ.update(self.environment())
        services_runtime.reset()  # the flows served here read the settings just set
        from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

        def registered(registration: Registration) -> None:
            self.registration = registration
            ready(len(registration.ids))

        state = self.home / "prefect" / "registered.json"
        updates = {PREFECT_API_URL: self.api, PREFECT_API_AUTH_STRING: self.auth}
        concurrency = CONCURRENCY_POSTGRES if server_on_postgres() else CONCURRENCY
        with temporary_settings(updates=updates):
            asyncio.run(
                register_and_serve(
                    self.planned, state_file=state, ready=registered, concurrency=concurrency
                )
            )

    def stop(self) -> None:
        """Stop every process started, the last first; kill what does not stop in 30 s."""
        for proc in reversed(self.started):
            proc.terminate()
        for proc in self.started:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in self.logs:
            log.close()
