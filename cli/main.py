"""The root `roadmap` command; each command group lives in its own module."""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

import typer

from cli import (
    backup_cmds,
    context,
    due_cmds,
    federal_cmds,
    files_cmds,
    flow_cmds,
    forecast_cmds,
    init_cmds,
    intake_cmds,
    mail_cmds,
    notify_cmds,
    program_cmds,
    reasons_cmds,
    report_cmds,
    simulate_cmds,
    storage_cmds,
    term_cmds,
)
from services import runtime as services_runtime

app = typer.Typer(
    name="roadmap",
    help="Дорожная карта региональной программы профилактики социального сиротства.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(version("roadmap-orchestrator"))
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Показать версию.")
    ] = False,
    program: Annotated[
        str | None,
        typer.Option(
            "--program",
            help="Программа, для которой команда: id или папка (нужна, когда загружено "
            "несколько, ROADMAP_PROGRAMS).",
        ),
    ] = None,
) -> None:
    """Дорожная карта региональной программы профилактики социального сиротства."""
    services_runtime.private_files()  # what any command writes is its owner's alone
    services_runtime.reset()  # each command reads the settings as they are when it starts
    context.choose_program(program)


program_cmds.register(app)
storage_cmds.register(app)
notify_cmds.register(app)
report_cmds.register(app)
flow_cmds.register(app)
simulate_cmds.register(app)
term_cmds.register(app)
forecast_cmds.register(app)
init_cmds.register(app)
federal_cmds.register(app)
due_cmds.register(app)
mail_cmds.register(app)
backup_cmds.register(app)
app.add_typer(files_cmds.files, name="files")
app.add_typer(intake_cmds.intake, name="intake")
app.add_typer(reasons_cmds.reasons, name="reasons")


if __name__ == "__main__":
    app()
