"""PostgreSQL: a pooled connection lost while idle is found and replaced before use; one just
returned is used without a check (three round trips saved per unit of work)."""

import pytest
from sqlalchemy import text

from storage.db import Database, is_unavailable


async def _backend(db: Database) -> int:
    async with db.read() as session:
        return int((await session.exec(text("SELECT pg_backend_pid()"))).scalar_one())  # type: ignore[call-overload]


async def _terminate(url: str, pid: int) -> None:
    other = Database(url)
    async with other.begin() as session:
        await session.exec(text("SELECT pg_terminate_backend(:pid)").bindparams(pid=pid))  # type: ignore[call-overload]
    await other.dispose()


async def test_a_connection_lost_while_idle_is_replaced_before_use(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL pool")
    db = Database(db_url, idle_ping_seconds=0.0)
    try:
        lost = await _backend(db)
        await _terminate(db_url, lost)
        assert await _backend(db) != lost  # answered, on a fresh connection
    finally:
        await db.dispose()


async def test_a_connection_just_returned_is_not_checked(db_url: str) -> None:
    """Without the check, the lost connection fails the one unit that meets it; the failure
    invalidates the pool, so the next unit gets a fresh connection."""
    if db_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL pool")
    db = Database(db_url, idle_ping_seconds=3600.0)
    try:
        lost = await _backend(db)
        await _terminate(db_url, lost)
        with pytest.raises(Exception) as raised:
            await _backend(db)
        assert is_unavailable(raised.value)
        assert await _backend(db) != lost
    finally:
        await db.dispose()
