"""Orchestration commands: prefect.yaml, the whole system on one machine, agenda items."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from cli import context
from cli.output import console, fail
from flows.deployments import DeploymentSpec, deployment_specs, prefect_yaml
from roadmap.contacts import load_contacts
from roadmap.errors import RoadmapError
from roadmap.settings import get_settings
from roadmap.workdays import get_calendar
from storage.contacts import replace_contacts
from storage.sync import sync_program
from storage.waits import agenda_key, record_agenda_item


def deployments(
    out: Annotated[Path, typer.Option("--out", help="Куда записать.")] = Path("prefect.yaml"),
    check: Annotated[
        bool, typer.Option("--check", help="Только проверить, что файл актуален.")
    ] = False,
) -> None:
    """Записать prefect.yaml со всеми развёртываниями и расписаниями из данных программы.

    Пример: roadmap deployments --check
    """
    program = context.program()
    text = prefect_yaml(deployment_specs(program, get_calendar(program.calendar)), program.timezone)
    if check:
        if not out.exists() or out.read_text("utf-8") != text:
            fail(f"{out} устарел: выполните roadmap deployments")
        console.print(f"{out} актуален.")
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"Записано {out}: развёртываний {text.count('- name: ')}.")


def flow_for(spec: DeploymentSpec) -> Any:
    module, func = spec.flow.split(":")
    return getattr(importlib.import_module(module), func)


def runner_deployments(specs: list[DeploymentSpec], timezone: str) -> list[Any]:
    """The specs as Prefect runner deployments, for ``serve()``."""
    from prefect.schedules import RRule

    return [
        flow_for(s).to_deployment(
            name=s.name,
            parameters=s.parameters,
            description=s.description,
            tags=list(s.tags),
            schedules=[
                RRule(x.rrule, timezone=timezone, parameters=x.parameters or None)
                for x in s.schedules
            ],
        )  # fmt: skip
        for s in specs
    ]


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            fail(
                f"сервер Prefect завершился с кодом {proc.returncode}; журнал: {get_settings().home / 'prefect-server.log'}"  # noqa: E501
            )
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    fail(f"сервер Prefect не ответил за {timeout:.0f} с")


def up(
    host: Annotated[str, typer.Option("--host", help="Адрес сервера Prefect.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Порт сервера Prefect.")] = 4200,
    limit: Annotated[
        int | None,
        typer.Option("--limit", help="Обслуживать только первые N развёртываний (для проверки)."),
    ] = None,
) -> None:
    """Запустить всё на одной машине: сервер Prefect, загрузку программы, все развёртывания.

    Останавливается по Ctrl-C вместе со всем, что запустило.

    Пример: roadmap up
    """
    # Ctrl-C works even if a parent shell started us with SIGINT ignored; SIGTERM (systemd,
    # `kill`) becomes a Ctrl-C, which asyncio (inside serve) turns into a clean shutdown.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    settings = get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    api = f"http://{host}:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str((settings.home / "prefect").resolve()),
           "PREFECT_API_URL": api, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "ROADMAP_PREFECT_API_URL": api}  # fmt: skip
    if not settings.public_base_url:  # the local intake page, so that messages carry links
        env["ROADMAP_PUBLIC_BASE_URL"] = f"http://{settings.intake_host}:{settings.intake_port}"
    log = (settings.home / "prefect-server.log").open("ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
        env=env, stdout=log, stderr=log,
        # its own session: Ctrl-C reaches only us, and we stop the server after serve() has
        # paused the deployments (which needs the server)
        start_new_session=True,
    )  # fmt: skip
    started: list[subprocess.Popen[bytes]] = [server]
    try:
        with console.status("Запускается сервер Prefect…"):
            _wait_healthy(api, server, 180)
        program = context.program()
        with context.session() as s:
            report = sync_program(session=s, program=program, at=context.now())
        console.print(f"Программа {program.id}: версия {report.version}.")
        if settings.contacts_file:
            specs = load_contacts(settings.contacts_file, program)
            with context.session() as s:
                replace_contacts(
                    session=s, program_id=program.id, specs=specs, by="roadmap up", at=context.now()
                )
        started.append(context.start_intake(env))
        os.environ.update(env)
        get_settings.cache_clear()  # the flows served here read the settings just set
        from prefect import serve
        from prefect.settings import PREFECT_API_URL, temporary_settings

        specs_all = deployment_specs(program, get_calendar(program.calendar))[: limit or None]
        with temporary_settings(updates={PREFECT_API_URL: api}):
            deps = runner_deployments(specs_all, program.timezone)
            console.print(
                f"Интерфейс Prefect: http://{host}:{port}  (развёртываний: {len(deps)}; Ctrl-C — остановить)"  # noqa: E501
            )
            console.print(f"Страница приёма документов: {env.get('ROADMAP_PUBLIC_BASE_URL')}")
            serve(*deps, print_starting_message=False)
    except RoadmapError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # the face reports, it does not dump a traceback
        console.print(f"[red]Ошибка:[/red] {type(exc).__name__}: {exc}")
    finally:
        for proc in reversed(started):
            proc.terminate()
        for proc in started:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        console.print("Остановлено.")


agenda = typer.Typer(
    help="Предложения в повестку заседания комиссии (мероприятие 2.1).", no_args_is_help=True
)


@agenda.command("add")
def agenda_add(
    quarter: Annotated[str, typer.Option("--quarter", help="Квартал заседания, например 2025-Q2.")],
    org: Annotated[str, typer.Option("--org", help="Кто предлагает.")],
    text: Annotated[str, typer.Option("--text", help="Предложение.")],
    by: Annotated[str | None, typer.Option("--by", help="Кто вносит.")] = None,
) -> None:
    """Внести предложение в повестку заседания комиссии.

    Пример: roadmap agenda add --quarter 2025-Q2 --org minobr --text "О практике возврата детей"
    """
    from roadmap.periods import parse_period

    program = context.program()
    if org not in program.orgs:
        fail(f"--org: организации «{org}» нет в программе")
    try:
        label = parse_period(quarter).label
    except RoadmapError as exc:
        fail(f"--quarter: {exc.message}")
    with context.session() as s:
        record_agenda_item(session=s, program_id=program.id, period=label, org=org, text=text,
                           given_by=by or context.whoami(), channel="cli", at=context.now())  # fmt: skip  # noqa: E501
    context.wake([agenda_key(label)])
    console.print(f"Предложение в повестку за {label} записано.")


def register(app: typer.Typer) -> None:
    app.command("deployments")(deployments)
    app.command("up")(up)
    app.add_typer(agenda, name="agenda")
