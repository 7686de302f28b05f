"""File store commands: move files already on disk in, check every file, get one out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import context
from cli.output import console, fail
from services import files as services_files

files = typer.Typer(help="Хранилище файлов: документы и отчёты, доступные всем машинам.")


@files.command("import")
def import_files(
    remove: Annotated[
        bool,
        typer.Option(
            "--remove",
            help="Удалить файл с диска, когда его копия в хранилище проверена по хэшу.",
        ),
    ] = False,
) -> None:
    """Перенести в хранилище файлы, лежащие на диске этой машины: документы из
    ROADMAP_EVIDENCE_DIR и отчёты из ROADMAP_REPORTS_DIR, каждый с проверкой по хэшу.

    Повторный запуск ничего не переносит дважды. Без --remove файлы остаются на диске.

    Пример: roadmap files import
    """
    with context.plain_errors():
        report = services_files.import_files(context.rt(), remove=remove)
    console.print(
        f"Перенесено в хранилище: {len(report.stored)}, уже были там: {len(report.already)}, "
        f"не перенесено: {len(report.refused)}, удалено с диска: {report.removed}."
    )
    for line in report.refused:
        console.print(f"  [yellow]! {line}[/yellow]", markup=True)
    if report.refused:
        raise typer.Exit(1)


@files.command("check")
def check() -> None:
    """Прочитать каждый файл хранилища и сверить с его хэшем SHA-256.

    Пример: roadmap files check
    """
    with context.plain_errors():
        checked, problems = services_files.check_store(context.rt())
    for line in problems:
        console.print(f"  [red]! {line}[/red]")
    if problems:
        fail(f"проверено файлов: {checked}, с ошибками: {len(problems)}")
    console.print(f"Проверено файлов: {checked}; все совпадают со своими хэшами.")


@files.command("get")
def get(
    key: Annotated[
        str,
        typer.Argument(
            help="Файл, как его называет артефакт: <программа>/<путь в её папке>, "
            "например <программа>/on-demand/2025-08-01/svod.docx."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Куда сохранить: файл или папка.")] = Path("."),
) -> None:
    """Сохранить файл из хранилища (отчёт, панель, свод) на диск, с проверкой хэша.

    Пример: roadmap files get krasnoyarsk-2025-2026/on-demand/2025-08-01/svod.docx --out .
    """
    with context.plain_errors():
        saved = services_files.save_file(context.rt(), key=key, target=out)
    console.print(f"Сохранено: {saved}")


def register(app: typer.Typer) -> None:
    app.add_typer(files, name="files")
