"""Backup and restore: the database and the file store in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail
from services import backup as services_backup


def backup(
    out: Annotated[Path, typer.Option("--out", help="Файл копии, например roadmap.tar.gz.")],
) -> None:
    """Копия базы данных и хранилища файлов в один файл, пока всё работает.

    SQLite копируется через её online backup, PostgreSQL — через pg_dump; файлы из общей
    папки добавляются после снимка базы и проверяются по хэшу.

    Пример: roadmap backup --out /backup/roadmap-2025-08-01.tar.gz
    """
    with context.plain_errors():
        done = services_backup.backup(context.rt(), out=out)
    console.print(
        f"Копия записана: {done.path} (база {done.database}, ревизия схемы {done.revision}; "
        f"файлов в базе: {done.files_in_database}, в общей папке: {done.files_in_folder})."
    )


def restore(
    source: Annotated[Path, typer.Argument(help="Файл копии, сделанный roadmap backup.")],
) -> None:
    """Восстановить копию в пустую базу данных и пустое хранилище файлов.

    Непустую базу или хранилище команда не трогает. После восстановления каждый файл
    читается и сверяется со своим хэшем.

    Пример: roadmap restore /backup/roadmap-2025-08-01.tar.gz
    """
    with context.plain_errors():
        done = services_backup.restore(context.rt(), source=source)
    for line in done.problems:
        console.print(f"  [red]! {line}[/red]")
    if done.problems:
        fail(f"восстановлено, но файлов с ошибками: {len(done.problems)}")
    console.print(
        f"Восстановлено из {source}: база {done.database} (ревизия {done.revision}), файлов "
        f"в общей папке: {done.files_restored}; проверено файлов: {done.files_checked}."
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
