"""Printing for the command line: rich tables for people, stable JSON for programs."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from roadmap.errors import ProgramErrors, RoadmapError


def _width(stream: Any) -> int | None:
    """A terminal's own width; output piped to a file or another program is laid out 1000
    columns at most, so that no cell is folded at 80."""
    return None if stream.isatty() else 1000


console = Console(highlight=False, soft_wrap=False, width=_width(sys.stdout))
err_console = Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))


def print_json(data: Any) -> None:
    """JSON on stdout, Russian kept readable, dates as ISO strings."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    t = Table(title=title, title_justify="left", show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    console.print(t)


def fail(message: str, code: int = 1) -> NoReturn:
    """Say what went wrong on stderr and exit, never with a traceback."""
    err_console.print(f"[red]Ошибка:[/red] {message}")
    raise typer.Exit(code)


def fail_with(exc: RoadmapError, where: str = "в данных программы") -> NoReturn:
    if isinstance(exc, ProgramErrors):
        err_console.print(f"[red]Ошибок {where}: {len(exc.errors)}[/red]")
        for e in exc.errors:
            err_console.print(f"  {e}", markup=False)
        raise typer.Exit(1)
    fail(str(exc))


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date from an option, or a clear error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: ожидается дата в виде ГГГГ-ММ-ДД, получено «{value}»")
