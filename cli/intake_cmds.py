"""The intake page: serve it, or print a signed link for a coordinator to send by hand."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail
from flows.stack import is_loopback
from services import links
from services.settings import Settings

intake = typer.Typer(
    help="Страница приёма документов по ссылке из напоминания.", invoke_without_command=True
)


def intake_command(host: str, port: int) -> list[str]:
    """The command that serves the page (``intake.server``: uvicorn with its limits)."""
    return [sys.executable, "-m", "intake.server", "--host", host, "--port", str(port)]


def check_intake_host(settings: Settings, host: str) -> None:
    """Refuse to open the page beyond this machine in development (its key is a placeholder)."""
    if settings.environment != "production" and not is_loopback(host):
        fail(
            f"страница приёма документов на адресе {host} была бы доступна не только с этой "
            "машины, а режим — development (ключ ссылок может быть заглушкой): "
            "задайте ROADMAP_ENVIRONMENT=production и ROADMAP_INTAKE_SECRET или слушайте 127.0.0.1"
        )


@intake.callback()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="Адрес (по умолчанию ROADMAP_INTAKE_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Порт (по умолчанию ROADMAP_INTAKE_PORT).")
    ] = None,
) -> None:
    """Запустить страницу приёма документов.

    Пример: roadmap intake --port 8300
    """
    if ctx.invoked_subcommand is not None:
        return
    s = context.settings()
    host, port = host or s.intake_host, port or s.intake_port
    check_intake_host(s, host)
    with context.plain_errors():
        _ = context.rt().intake_key  # production refuses a placeholder or short key here
    context.engine()  # the schema is ready before the first request
    console.print(f"Страница приёма документов: http://{host}:{port}")
    sys.stdout.flush()
    sys.stderr.flush()
    # the server replaces this process: SIGTERM and Ctrl-C reach it directly, nothing is orphaned
    cmd = intake_command(host, port)
    os.execv(cmd[0], cmd)


@intake.command("link")
def link(
    obligation: Annotated[
        str,
        typer.Option("--obligation", help="Id обязательства.", callback=context.qualify_obligation),
    ],
    org: Annotated[
        str | None,
        typer.Option("--org", help="Организация получателя (по умолчанию — ведущий исполнитель)."),
    ] = None,
) -> None:
    """Напечатать подписанную ссылку на страницу приёма документов по обязательству.

    Пример: roadmap intake link --obligation 6.1:2025-03 --org minzdrav
    """
    context.program()
    with context.plain_errors():
        url = links.obligation_link(context.rt(), obligation_id=obligation, org=org)
    typer.echo(url)


def register(app: typer.Typer) -> None:
    app.add_typer(intake, name="intake")
