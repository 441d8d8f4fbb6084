"""Alembic, driven from code: the schema's only source in production."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, literal, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on the metadata)
from storage.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


async def upgrade(db: Database, revision: str = "head") -> None:
    """Apply pending migrations on the database's own engine."""

    def _upgrade(connection: Connection) -> None:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def drift(db: Database) -> list[object]:
    """Differences between the migrated schema and the models; empty when they agree."""

    def _compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))

    async with db.engine.connect() as connection:
        return await connection.run_sync(_compare)


def head_revision(url: str) -> str | None:
    """The newest migration this code ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def current_revision(db: Database) -> str | None:
    """The migration the database is at (None before the first)."""

    def _current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as connection:
        return await connection.run_sync(_current)


async def user_tables_with_rows(db: Database) -> list[str]:
    """The union's tables that hold any row (the migration bookkeeping does not count)."""
    found: list[str] = []
    async with db.engine.connect() as connection:
        existing = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in existing:
                continue
            row = await connection.execute(select(literal(1)).select_from(table).limit(1))
            if row.first() is not None:
                found.append(table.name)
    return found
