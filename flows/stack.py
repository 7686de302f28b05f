"""Bringing the whole stack up on one machine: the Prefect server, the program, the intake
page and every deployment, and stopping all of it again.

``roadmap up`` is this use case behind a console: it reads no settings itself and starts no
process of its own.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from flows.deployments import stack_specs
from flows.registration import Planned, Registration, register_and_serve
from flows.registration import plan as plan_deployments
from roadmap.contacts import load_contacts
from services import program as program_data
from services import runtime as services_runtime
from services.runtime import Runtime
from storage.sync import SyncReport


class StackError(RuntimeError):
    """The stack could not start; the message says why, in Russian."""


@dataclass
class Stack:
    """The processes ``roadmap up`` starts, in order, so that they stop in reverse."""

    rt: Runtime
    host: str
    port: int
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)
    planned: list[Planned] | None = None
    registration: Registration | None = None

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
            "PREFECT_HOME": str((s.home / "prefect").resolve()),
            "PREFECT_API_URL": self.api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "ROADMAP_PREFECT_API_URL": self.api,
        }
        if not s.public_base_url:  # the local intake page, so that messages carry links
            env["ROADMAP_PUBLIC_BASE_URL"] = f"http://{s.intake_host}:{s.intake_port}"
        return env

    def _log(self, name: str) -> IO[bytes]:
        log = (self.rt.settings.home / name).open("ab")
        self.logs.append(log)
        return log

    def _start(self, command: list[str], log: str) -> subprocess.Popen[bytes]:
        # its own session: Ctrl-C reaches only us, and we stop the children in order
        out = self._log(log)
        proc = subprocess.Popen(
            command, env=self.environment(), stdout=out, stderr=out, start_new_session=True
        )
        self.started.append(proc)
        return proc

    def start_server(
        self, timeout: float = 180, meanwhile: Callable[[], object] | None = None
    ) -> None:
        """Start the Prefect server and wait until it answers (doing ``meanwhile`` first)."""
        self.rt.settings.home.mkdir(parents=True, exist_ok=True)
        command = [
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            self.host,
            "--port",
            str(self.port),
        ]
        server = self._start([sys.executable, *command], "prefect-server.log")
        if meanwhile is not None:  # e.g. the programs' sync, which needs no server
            meanwhile()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if server.poll() is not None:
                log = self.rt.settings.home / "prefect-server.log"
                raise StackError(
                    f"сервер Prefect завершился с кодом {server.returncode}; журнал: {log}"
                )
            try:
                if httpx.get(f"{self.api}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise StackError(f"сервер Prefect не ответил за {timeout:.0f} с")

    def prepare(self) -> list[SyncReport]:
        """Store every program and, for each with a contacts file, its contacts."""
        reports = []
        for rt in self.rt.each_program():
            reports.append(program_data.sync(rt))
            contacts: Path | None = rt.contacts_file
            if contacts:
                specs = load_contacts(contacts, rt.program)
                program_data.load_contacts(rt, specs, by="roadmap up")
        return reports

    def start_intake(self, command: list[str]) -> None:
        self._start(command, "intake.log")

    def plan(self, limit: int | None = None) -> None:
        """Work out every deployment's payload (each program's and the federal view's).

        Registration then has only to send; ``roadmap up`` does this while the server starts.
        """
        programs = [(rt.program, rt.calendar) for rt in self.rt.each_program()]
        specs = stack_specs(programs)[: limit or None]
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
        from prefect.settings import PREFECT_API_URL, temporary_settings

        def registered(registration: Registration) -> None:
            self.registration = registration
            ready(len(registration.ids))

        state = self.rt.settings.home / "prefect" / "registered.json"
        with temporary_settings(updates={PREFECT_API_URL: self.api}):
            asyncio.run(register_and_serve(self.planned, state_file=state, ready=registered))

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
