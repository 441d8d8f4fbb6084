"""Test databases: SQLite always, PostgreSQL when UNIONBRIDGE_TEST_DATABASE_URL is set.

Each test session migrates one template per backend; each test gets a clean copy (a copied
SQLite file, or truncated PostgreSQL tables), so every test starts from the real schema.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import Database
from storage.migrate import upgrade

POSTGRES_ENV = "UNIONBRIDGE_TEST_DATABASE_URL"


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run setup on its own loop in a thread: session fixtures may start inside a test's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.template = directory / "template.db"
        _run(_migrate(f"sqlite+aiosqlite:///{self.template}"))

    def fresh_url(self, directory: Path) -> str:
        target = directory / f"{uuid.uuid4().hex}.db"
        shutil.copy(self.template, target)
        return f"sqlite+aiosqlite:///{target}"


class PostgresTemplate:
    """A throwaway database for this test session on the configured server."""

    def __init__(self) -> None:
        server = make_url(os.environ[POSTGRES_ENV])
        self.name = f"ub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.admin_url = server.render_as_string(hide_password=False)
        self.url = server.set(database=self.name).render_as_string(hide_password=False)
        _run(self._admin(f'CREATE DATABASE "{self.name}"'))
        _run(_migrate(self.url))

    async def _admin(self, statement: str) -> None:
        engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.execute(text(statement))
        await engine.dispose()

    async def reset(self) -> None:
        engine = create_async_engine(self.url)
        async with engine.begin() as connection:
            rows = await connection.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    " AND tablename <> 'alembic_version'"
                )
            )
            tables = ", ".join(f'"{name}"' for (name,) in rows)
            if tables:
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    def drop(self) -> None:
        _run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
