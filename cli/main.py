"""The root `roadmap` command; each command group lives in its own module.

A process imports only the module of the command it runs (``COMMANDS``): ``roadmap
--version`` or ``roadmap due list`` does not load the report writers, the forecast's
statistics or the mail clients of the other commands. ``roadmap --help`` loads them all.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import version
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

# each top-level command, and the module of `cli/` whose ``register`` adds it
COMMANDS: dict[str, str] = {
    "validate": "program_cmds",
    "activities": "program_cmds",
    "indicators": "program_cmds",
    "organizations": "program_cmds",
    "obligations": "program_cmds",
    "import": "program_cmds",
    "sync": "storage_cmds",
    "status": "storage_cmds",
    "submit": "storage_cmds",
    "review": "storage_cmds",
    "na": "storage_cmds",
    "extend": "storage_cmds",
    "evidence": "storage_cmds",
    "contacts": "notify_cmds",
    "notify": "notify_cmds",
    "outbox": "notify_cmds",
    "consolidate": "report_cmds",
    "panel": "report_cmds",
    "deployments": "flow_cmds",
    "up": "flow_cmds",
    "agenda": "flow_cmds",
    "simulate": "simulate_cmds",
    "term": "term_cmds",
    "forecast": "forecast_cmds",
    "init": "init_cmds",
    "federal": "federal_cmds",
    "due": "due_cmds",
    "mail": "mail_cmds",
    "backup": "backup_cmds",
    "restore": "backup_cmds",
    "files": "files_cmds",
    "intake": "intake_cmds",
    "reasons": "reasons_cmds",
}


def registered(modules: set[str] | None = None) -> typer.Typer:
    """A Typer with the commands of ``modules`` (all of them by default) registered."""
    full = typer.Typer()
    for module in sorted(modules or set(COMMANDS.values())):
        import_module(f"cli.{module}").register(full)
    return full


class _LazyGroup(TyperGroup):
    """The root group: a command's module is imported when the command is asked for."""

    # ``Any``: typer types these with the click it carries inside, not the package ``click``
    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            group = typer.main.get_group(registered({COMMANDS[cmd_name]}))
            self.commands.update(group.commands)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=_LazyGroup,
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
    from cli import context
    from services import runtime as services_runtime

    services_runtime.private_files()  # what any command writes is its owner's alone
    services_runtime.reset()  # each command reads the settings as they are when it starts
    context.choose_program(program)


if __name__ == "__main__":
    app()
