"""Database fixtures: tests that touch storage run on both backends: a SQLite file and the local PostgreSQL server.

One database per backend per test session, migrated with Alembic (never create_all);
every test starts from empty tables. PostgreSQL comes from ROADMAP_TEST_POSTGRES_URL
(default: the local server's `test` database); if it cannot be reached the tests fail,
they are not skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from roadmap.program.model import Program
from storage.db import make_engine, normalize_url, session_scope, upgrade
from storage.evidence import EvidenceStore
from storage.sync import sync_program

POSTGRES_URL = os.environ.get(
    "ROADMAP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SYNC_AT = dt.datetime(2025, 1, 9, 2, 0, tzinfo=dt.UTC)


def _admin_conninfo(url: str) -> str:
    u = make_url(normalize_url(url))
    return (
        f"host={u.host} port={u.port or 5432} user={u.username or 'postgres'} dbname={u.database}"
    )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    name = f"roadmap_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        # a commit does not wait for the disk: what the tests check (isolation, locks, what
        # a restart keeps after a clean shutdown) is the same, and their commits are many
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    u = make_url(normalize_url(POSTGRES_URL)).set(database=name)
    yield u.render_as_string(hide_password=False)
    with psycopg.connect(_admin_conninfo(POSTGRES_URL), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'roadmap.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _empty(engine: Engine) -> None:
    """Every table emptied and every id counter back at 1, as on a new database.

    Rows are deleted, children first, rather than truncated: on PostgreSQL a TRUNCATE of the
    two dozen tables makes new files for each and took ten times as long as the DELETE
    (0,3 s against 0,03 s), before every one of the suite's storage tests."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        for t in tables:
            conn.execute(text(f'DELETE FROM "{t}"'))
        if engine.dialect.name == "postgresql":
            sequences = conn.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
            ).scalars()
            for name in sequences:
                conn.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))
        # SQLite's ids (no AUTOINCREMENT) start again from the largest left, none: 1


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    _empty(migrated_engine)
    return migrated_engine


@pytest.fixture
def synced(engine: Engine, program: Program) -> Engine:
    """Empty tables, then the Krasnoyarsk program synced as of 9 January 2025."""
    with session_scope(engine) as s:
        sync_program(session=s, program=program, at=SYNC_AT)
    return engine


@pytest.fixture
def session(synced: Engine) -> Iterator[Session]:
    with session_scope(synced) as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence")


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a Krasnoyarsk date (UTC+7), as the engine is given it."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    return (local - dt.timedelta(hours=7)).replace(tzinfo=dt.UTC)
