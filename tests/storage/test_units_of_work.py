"""Units of work: on SQLite a read or a write never hands the event loop a turn (every
statement runs inline), so one writer never keeps the others waiting through other updates'
work; on both databases a unit cut short by cancellation leaves nothing checked out."""

import asyncio
from datetime import UTC, datetime

import pytest

from storage import members
from storage.db import Database

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def _turns_during(work: asyncio.Future[None] | asyncio.Task[None]) -> int:
    """How many turns the event loop took while `work` ran."""
    turns = 0

    def tick() -> None:
        nonlocal turns
        if not work.done():
            turns += 1
            asyncio.get_running_loop().call_soon(tick)

    asyncio.get_running_loop().call_soon(tick)
    await work
    return turns


async def test_a_sqlite_unit_of_work_takes_no_turn_of_the_loop(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("PostgreSQL statements wait on the network")

    async def write_then_read() -> None:
        async with db.begin() as session:
            await members.add(
                session, now=NOW, telegram_id=7, name="李四", department="一车间", phone="1"
            )
        async with db.read() as session:
            assert await members.get_by_telegram_id(session, 7) is not None

    task = asyncio.ensure_future(write_then_read())
    # The task's own first step is one turn; a shielded close would add two per unit.
    assert await _turns_during(task) <= 1


async def test_writers_queue_in_one_process_and_none_is_lost(db: Database) -> None:
    async with db.begin() as session:
        await members.add(
            session, now=NOW, telegram_id=1, name="计数", department="一车间", phone="0"
        )

    async def bump() -> None:
        async with db.begin() as session:
            member = await members.get_by_telegram_id(session, 1)
            assert member is not None
            if not db.is_sqlite:
                await session.refresh(member, with_for_update=True)
            await asyncio.sleep(0)  # a write that pauses midway keeps the others out
            await members.update(session, member, now=NOW, phone=str(int(member.phone or 0) + 1))

    await asyncio.gather(*(bump() for _ in range(20)))
    async with db.read() as session:
        member = await members.get_by_telegram_id(session, 1)
    assert member is not None and member.phone == "20"


async def test_a_cancelled_unit_returns_its_connection(db: Database) -> None:
    started = asyncio.Event()

    async def stuck() -> None:
        async with db.begin() as session:
            await members.get_by_telegram_id(session, 1)
            started.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(stuck())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert db.checked_out() == 0
    async with db.begin() as session:  # and the next writer gets in
        await members.add(
            session, now=NOW, telegram_id=2, name="王五", department="一车间", phone="2"
        )
