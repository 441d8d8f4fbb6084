"""An update's reads share one unit of work (storage/update_reads.py) until a write, a request
to Telegram or a failed read ends it; nothing stays checked out once it has ended."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.delivery.limiter import FloodLimiter
from bot.delivery.shared_limiter import SharedRateLimiter
from storage import members
from storage.db import Database
from storage.update_reads import end_shared_reads

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def _add(db: Database, telegram_id: int, name: str) -> None:
    async with db.begin() as session:
        await members.add(
            session, now=NOW, telegram_id=telegram_id, name=name, department="一车间", phone="1"
        )


async def test_reads_in_an_update_share_one_session_and_give_it_back_at_the_end(
    db: Database,
) -> None:
    await _add(db, 1, "张三")
    async with db.update_reads():
        async with db.read() as first:
            assert await members.get_by_telegram_id(first, 1) is not None
        async with db.read() as second:
            assert second is first
            assert db.checked_out() == 1
    assert db.checked_out() == 0


async def test_a_write_ends_the_shared_reads_so_later_reads_see_it(db: Database) -> None:
    await _add(db, 1, "张三")
    async with db.update_reads():
        async with db.read() as before:
            member = await members.get_by_telegram_id(before, 1)
            assert member is not None and member.name == "张三"
        async with db.begin() as session:
            stored = await members.get_by_telegram_id(session, 1)
            assert stored is not None
            await members.update(session, stored, now=NOW, name="张三丰")
        async with db.read() as after:
            assert after is not before
            again = await members.get_by_telegram_id(after, 1)
            assert again is not None and again.name == "张三丰"
    assert db.checked_out() == 0


async def test_a_request_to_telegram_gives_the_connection_back_first(db: Database) -> None:
    await _add(db, 1, "张三")
    async with db.update_reads():
        async with db.read() as session:
            await members.get_by_telegram_id(session, 1)
        assert db.checked_out() == 1
        await end_shared_reads()  # what the request layer does before each request
        assert db.checked_out() == 0
        async with db.read() as later:
            assert await members.get_by_telegram_id(later, 1) is not None


async def test_ending_while_a_read_holds_the_session_closes_it_after_that_read(
    db: Database,
) -> None:
    await _add(db, 1, "张三")
    async with db.update_reads():
        async with db.read() as session:
            await end_shared_reads()  # a reply sent from inside the read block
            assert await members.get_by_telegram_id(session, 1) is not None
        assert db.checked_out() == 0


async def test_a_failed_read_ends_the_shared_unit_and_the_next_read_works(db: Database) -> None:
    await _add(db, 1, "张三")
    async with db.update_reads():
        with pytest.raises(Exception, match="no_such_table"):
            async with db.read() as broken:
                await broken.exec(text("SELECT * FROM no_such_table"))  # type: ignore[call-overload]
        async with db.read() as session:
            assert session is not broken
            assert await members.get_by_telegram_id(session, 1) is not None
    assert db.checked_out() == 0


async def test_a_task_the_update_starts_reads_in_a_unit_of_its_own(db: Database) -> None:
    await _add(db, 1, "张三")

    async def elsewhere() -> object:
        async with db.read() as session:
            await members.get_by_telegram_id(session, 1)
            return session

    async with db.update_reads():
        async with db.read() as session:
            await members.get_by_telegram_id(session, 1)
            # Both at once: an AsyncSession serves one task at a time.
            others = await asyncio.gather(elsewhere(), elsewhere())
        assert session not in others and others[0] is not others[1]
    assert db.checked_out() == 0


async def test_another_database_s_reads_are_not_served_by_this_update_s_unit(
    db: Database, tmp_path: object
) -> None:
    other = Database(f"sqlite+aiosqlite:///{tmp_path}/other.db")
    try:
        async with db.update_reads(), db.read() as ours, other.read() as theirs:
            assert theirs is not ours
    finally:
        await other.dispose()


async def test_a_command_opened_from_another_shares_its_unit(db: Database) -> None:
    """/start report runs /report's guard inside /start's: one unit, which a request ends."""
    await _add(db, 1, "张三")
    async with db.update_reads():
        async with db.read() as outer:
            await members.get_by_telegram_id(outer, 1)
        async with db.update_reads(), db.read() as inner:
            assert inner is outer
            await end_shared_reads()
        assert db.checked_out() == 0
    assert db.checked_out() == 0


async def test_what_a_read_loaded_is_detached_after_its_block(db: Database) -> None:
    """A change to an object read for display is never written through the shared reader."""
    await _add(db, 1, "张三")
    async with db.update_reads():
        async with db.read() as session:
            member = await members.get_by_telegram_id(session, 1)
        assert member is not None
        member.name = "只是显示"
        async with db.read() as session:
            again = await members.get_by_telegram_id(session, 1)
            assert again is not member and again is not None and again.name == "张三"
    async with db.read() as session:
        stored = await members.get_by_telegram_id(session, 1)
    assert stored is not None and stored.name == "张三"


async def test_the_request_layer_gives_the_connection_back_before_each_request(
    db: Database,
) -> None:
    await _add(db, 1, "张三")
    limiter = SharedRateLimiter(
        FloodLimiter(overall_per_second=1000, private_per_second=1000, group_per_minute=1000)
    )
    held: list[int] = []

    async def request(*_: object) -> bool:
        held.append(db.checked_out())
        return True

    async with db.update_reads():
        async with db.read() as session:
            await members.get_by_telegram_id(session, 1)
        await limiter.process_request(request, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert held == [0]
