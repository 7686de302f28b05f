"""The intake page: serve it, or print a signed link for a coordinator to send by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Annotated

import typer

from cli import context
from cli.output import console
from services import links

intake = typer.Typer(
    help="Страница приёма документов по ссылке из напоминания.", invoke_without_command=True
)


def intake_command(host: str, port: int) -> list[str]:
    """The command that serves the page (uvicorn imports the app; the CLI does not)."""
    app = ["-m", "uvicorn", "intake.app:create_app", "--factory", "--no-server-header"]
    limits = ["--timeout-keep-alive", "5", "--limit-concurrency", "200"]
    return [sys.executable, *app, "--host", host, "--port", str(port), *limits]


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
    context.engine()  # the schema is ready before the first request
    cmd = intake_command(host or s.intake_host, port or s.intake_port)
    console.print(
        f"Страница приёма документов: http://{host or s.intake_host}:{port or s.intake_port}"
    )
    raise typer.Exit(subprocess.call(cmd, env=os.environ.copy()))


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
