"""Write transactions on one database queue instead of failing (SQLite: BEGIN IMMEDIATE)."""

import asyncio
from datetime import UTC, datetime

from storage import members
from storage.db import Database

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def test_concurrent_read_modify_write_loses_nothing(db_url: str) -> None:
    async with Database(db_url).begin() as session:
        await members.add(
            session, now=NOW, telegram_id=1, name="计数", department="一车间", phone="0"
        )
    engines = [Database(db_url) for _ in range(4)]

    async def bump(database: Database) -> None:
        for _ in range(10):
            async with database.begin() as session:
                member = await members.get_by_telegram_id(session, 1)
                assert member is not None
                if not database.is_sqlite:
                    await session.refresh(member, with_for_update=True)
                await members.update(
                    session, member, now=NOW, phone=str(int(member.phone or 0) + 1)
                )

    await asyncio.gather(*(bump(database) for database in engines))
    async with engines[0].read() as session:
        member = await members.get_by_telegram_id(session, 1)
    for database in engines:
        await database.dispose()
    assert member is not None and member.phone == "40"
