"""Alembic, driven from code: the schema's only source in production.

Alembic itself (with Mako and Pygments, which it brings along) is imported only when there is
something to migrate or compare: a database already at the newest revision — every restart
after the first — is recognised with one query, and the process starts without it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, literal, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on the metadata)
from storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
# `revision: str = '0014'`; `down_revision: str | None = '0013'`, or a tuple of them (a merge).
_REVISION = re.compile(r"^revision(?::[^=\n]+)? = ['\"](\w+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?::[^=\n]+)? = (.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"](\w+)['\"]")


def alembic_config(url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def heads(versions: Path) -> set[str]:
    """The revisions among these migration files that no other names as its predecessor."""
    revisions: set[str] = set()
    succeeded: set[str] = set()
    for path in versions.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
        if down := _DOWN.search(source):
            succeeded.update(_QUOTED.findall(down.group(1)))
    return revisions - succeeded


@cache
def head_revision() -> str:
    """The newest migration this code ships, read from the files' `revision` and
    `down_revision` lines (a test holds it to Alembic's own)."""
    found = heads(MIGRATIONS_DIR / "versions")
    if len(found) != 1:
        raise RuntimeError(f"the migrations have {len(found)} heads: {sorted(found)}")
    return found.pop()


async def upgrade(db: Database, revision: str = "head") -> None:
    """Apply pending migrations on the database's own engine (nothing to do, and no Alembic
    loaded, when it is at the newest revision already)."""
    if revision == "head" and await current_revision(db) == head_revision():
        return

    def _upgrade(connection: Connection) -> None:
        from alembic import command

        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def drift(db: Database) -> list[object]:
    """Differences between the migrated schema and the models; empty when they agree."""

    def _compare(connection: Connection) -> list[object]:
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))

    async with db.engine.connect() as connection:
        return await connection.run_sync(_compare)


async def current_revision(db: Database) -> str | None:
    """The migration the database is at (None before the first)."""
    async with db.engine.connect() as connection:
        if not await connection.run_sync(lambda sync: inspect(sync).has_table(VERSION_TABLE)):
            return None
        row = (await connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))).first()
        return None if row is None else str(row[0])


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
