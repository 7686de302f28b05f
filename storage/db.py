"""Engines and sessions for SQLite and PostgreSQL, and bringing the schema up to date.

``make_engine(url)`` takes a plain URL (``postgresql://user@host:5432/db`` or
``sqlite:///path``) and picks the driver. SQLite runs in WAL mode with a busy timeout and
takes its write lock at the start of a transaction (``BEGIN IMMEDIATE``), so two processes
writing at once queue instead of failing midway, and whatever a transaction read it read
under that lock; PostgreSQL runs at READ COMMITTED and every change of an obligation's state
takes the obligation row's lock first (``obligations.lock_obligation``).

A URL's password never reaches a message: errors name the URL as ``safe_url`` renders it
and have the password masked wherever a driver repeats it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from storage.errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"
_USERINFO = re.compile(r"(?P<head>://[^:/@\s]*:)(?P<password>[^@\s]*)@")


def normalize_url(url: str) -> str:
    """A SQLAlchemy URL with our driver: ``postgres://`` and ``postgresql://`` use psycopg 3."""
    u = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if u.startswith(prefix):
            return "postgresql+psycopg://" + u[len(prefix) :]
    return u


def safe_url(url: str) -> str:
    """``url`` with its password shown as ``***``, for messages and logs."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy can read: mask by pattern
        return _USERINFO.sub(lambda m: m["head"] + "***@", url)


def mask_password(text: str, url: str) -> str:
    """``text`` with every form of ``url``'s password (raw, decoded, quoted) replaced by ``***``."""
    found = _USERINFO.search(url)
    if not found or not found["password"]:
        return text
    raw = found["password"]
    for form in sorted({raw, unquote(raw), quote(unquote(raw), safe="")}, key=len, reverse=True):
        text = text.replace(form, "***")
    return text


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file, and makes the file, once
    there, its owner's alone (0600: it holds contacts and letters with live links)."""
    sa_url = make_url(normalize_url(url))
    if sa_url.get_backend_name() == "sqlite":
        if sa_url.database and sa_url.database != ":memory:":
            Path(sa_url.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _private(Path(sa_url.database))
        engine = create_engine(
            sa_url,
            connect_args={"timeout": 30, "check_same_thread": False},
            **kwargs,
        )
        _sqlite_pragmas(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(sa_url, **kwargs)


def _private(database: Path) -> None:
    """A SQLite file and its journals made 0600 (SQLite gives new journals the file's mode)."""
    for each in (database, *(Path(f"{database}{tail}") for tail in ("-wal", "-shm"))):
        try:
            if each.exists() and each.stat().st_uid == os.getuid() and each.stat().st_mode & 0o077:
                each.chmod(0o600)
        except OSError:
            pass  # not ours to change: the owner's own setting stays


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (pysqlite's own
        # deferred BEGIN breaks BEGIN IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


def open_database(url: str, **kwargs: Any) -> Engine:
    """An engine whose schema is up to date: what the faces and flows call.

    Raises:
        DatabaseUnavailable: the URL cannot be read, the server cannot be reached or the schema
            cannot be brought up to date; the message names the URL without its password.
    """
    try:
        engine = make_engine(url, **kwargs)
        upgrade(engine)
    except Exception as exc:
        detail = "\n".join(
            line for line in str(exc).splitlines() if not line.startswith("(Background on")
        )
        raise DatabaseUnavailable(
            f"база данных недоступна ({safe_url(url)}): {mask_password(detail, url)}"
        ) from None
    return engine
