"""Database snapshots while the stack runs, and bringing one back into an empty database.

SQLite is copied with its online backup API (a consistent copy while other processes
write); PostgreSQL with ``pg_dump`` (one repeatable-read transaction) and restored with
``psql`` in a single transaction. A database counts as empty when none of its tables has a
row (the schema a fresh start migrated is empty).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from storage.db import mask_password, normalize_url
from storage.errors import FileRefused

SQLITE, POSTGRESQL = "sqlite", "postgresql"
# rows that say only which migration a schema is at; a freshly migrated database has one
BOOKKEEPING = {"alembic_version"}

__all__ = ["POSTGRESQL", "SQLITE", "filled_tables", "restore_database", "snapshot_database"]


def _libpq_url(engine: Engine) -> str:
    """The URL as libpq tools take it (``postgresql://``, password included)."""
    url = make_url(normalize_url(engine.url.render_as_string(hide_password=False)))
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise FileRefused("у базы SQLite в памяти нет файла для копии")
    return Path(database)


def _run(command: list[str], url: str) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise FileRefused(f"не найдена программа {command[0]} (пакет postgresql-client)")
    done = subprocess.run([tool, *command[1:]], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = mask_password(done.stderr.strip()[-2000:], url)
        raise FileRefused(f"{command[0]} завершился с ошибкой: {detail}")


def snapshot_database(*, engine: Engine, target: Path) -> str:
    """Write a consistent copy of the database to ``target``; returns its kind.

    Raises:
        FileRefused: the copy could not be made (the message names the tool's error).
    """
    if engine.dialect.name == SQLITE:
        source = sqlite3.connect(_sqlite_path(engine), timeout=30)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE
    url = _libpq_url(engine)
    command = ["pg_dump", "--no-owner", "--no-privileges", "--format=plain"]
    _run([*command, f"--file={target}", f"--dbname={url}"], url)
    return POSTGRESQL


def filled_tables(*, engine: Engine) -> dict[str, int]:
    """Each table of the database that has rows, with how many (bookkeeping aside)."""
    names = [n for n in inspect(engine).get_table_names() if n not in BOOKKEEPING]
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for name in names:
            n = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            if n:
                counts[name] = int(n)
    return counts


def restore_database(*, engine: Engine, source: Path, kind: str) -> None:
    """Bring the snapshot ``source`` (of ``kind``) into the database of ``engine``.

    The caller has checked that the database is empty (``filled_tables``); its empty tables
    are replaced by the snapshot's, in one transaction on PostgreSQL.

    Raises:
        FileRefused: the snapshot is of another kind of database, or the restore failed.
    """
    if kind != engine.dialect.name:
        raise FileRefused(
            f"копия снята с базы {kind}, а восстановить её просят в {engine.dialect.name}: "
            "восстанавливайте в базу того же вида"
        )
    if kind == SQLITE:
        path = _sqlite_path(engine)
        engine.dispose()
        snapshot = sqlite3.connect(source)
        target = sqlite3.connect(path, timeout=30)
        try:
            with target:
                snapshot.backup(target)
        finally:
            target.close()
            snapshot.close()
        return
    empty = inspect(engine).get_table_names()
    with engine.begin() as conn:
        for name in empty:
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    engine.dispose()
    url = _libpq_url(engine)
    command = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
    _run([*command, f"--file={source}", f"--dbname={url}"], url)
