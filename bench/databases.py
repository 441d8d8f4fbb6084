"""A throwaway PostgreSQL database per bench run: made on the server the admin URL names,
dropped (with its connections) when the run ends."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine


async def _admin(admin_url: str, statement: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def create_database(admin_url: str, prefix: str = "ub_bench") -> str:
    """A new, empty database's URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def optional_database(admin_url: str, prefix: str = "ub_bench") -> str | None:
    """As create_database, or None (said on the console) when the server does not answer."""
    try:
        return await create_database(admin_url, prefix)
    except Exception as exc:  # the server is not there
        print(f"PostgreSQL skipped: {type(exc).__name__}", flush=True)
        return None


async def drop_database(admin_url: str, url: str) -> None:
    database = make_url(url).database
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
