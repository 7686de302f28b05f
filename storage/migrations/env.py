"""Alembic environment: an edge, so it may read settings when no connection is handed in."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# registers the tables on SQLModel.metadata
import storage.file_tables
import storage.tables  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from services.settings import get_settings
    from storage.db import make_engine

    engine = make_engine(get_settings().resolved_database_url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
