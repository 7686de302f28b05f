"""Migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from storage.db import MIGRATIONS, upgrade


def test_migrations_produce_the_models_schema(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_is_idempotent_and_downgrade_round_trips(migrated_engine: Engine) -> None:
    upgrade(migrated_engine)  # already at head: nothing happens
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with migrated_engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
        conn.commit()
    assert "obligation" not in inspect(migrated_engine).get_table_names()
    upgrade(migrated_engine)
    assert {"obligation", "evidence", "audit"} <= set(inspect(migrated_engine).get_table_names())
