"""PostgreSQL's pool: a connection lost while idle is found and replaced before use; one just
returned is used without a check (three round trips saved per unit of work); a steady load
reuses connections instead of logging in anew."""

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


async def test_a_steady_load_reuses_the_pools_connections(db_url: str) -> None:
    """Twenty units at once, again and again, log in twenty times in all: the pool keeps
    what a busy minute needs instead of closing its overflow after each use."""
    if db_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL pool")
    import asyncio

    from sqlalchemy import event

    db = Database(db_url)
    logins = 0

    def _connected(*_: object) -> None:
        nonlocal logins
        logins += 1

    event.listen(db.engine.sync_engine, "connect", _connected)
    gate, all_in = asyncio.Event(), asyncio.Event()
    holding = 0

    async def unit() -> None:
        nonlocal holding
        async with db.read() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            holding += 1
            if holding == 20:
                all_in.set()
            await gate.wait()  # all twenty hold a connection at once

    try:
        for _ in range(3):
            gate.clear()
            all_in.clear()
            holding = 0
            units = [asyncio.create_task(unit()) for _ in range(20)]
            await all_in.wait()
            assert db.checked_out() == 20
            gate.set()
            await asyncio.gather(*units)
        assert logins == 20
    finally:
        await db.dispose()
