import asyncio
import warnings
from datetime import UTC, datetime

from storage import dialogs, groups
from storage.db import Database

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


async def test_binding_survives_migration_to_supergroup(db: Database) -> None:
    async with db.begin() as session:
        group = await groups.record(
            session, chat_id=-4001, title="一车间群", bot_status="member", now=NOW
        )
        await groups.bind(session, group, department="一车间", by=9, now=NOW)
    async with db.begin() as session:
        assert await groups.migrate(session, old_chat_id=-4001, new_chat_id=-1001234, now=NOW)
        # The second service message (migrate_from) finds nothing left to move.
        assert not await groups.migrate(session, old_chat_id=-4001, new_chat_id=-1001234, now=NOW)
    async with db.read() as session:
        assert await groups.get(session, -4001) is None
        moved = await groups.get(session, -1001234)
        bound = await groups.bound(session, departments=["一车间"])
    assert moved is not None and moved.department == "一车间" and moved.bound_by == 9
    assert [g.chat_id for g in bound] == [-1001234]


async def test_both_service_messages_of_a_migration_at_once_move_the_group_once(
    db: Database,
) -> None:
    """migrate_to and migrate_from arrive in two chats, so they are handled side by side: one
    moves the row, the other finds it moved — no error, no delete of a row already gone.
    Ten groups migrate at once, so the two movers of some group do overlap."""
    olds = [-4100 - i for i in range(10)]
    async with db.begin() as session:
        for old in olds:
            group = await groups.record(
                session, chat_id=old, title=f"群{old}", bot_status="member", now=NOW
            )
            await groups.bind(session, group, department="三车间", by=9, now=NOW)

    async def move(old: int) -> bool:
        async with db.begin() as session:
            return await groups.migrate(
                session, old_chat_id=old, new_chat_id=old - 1_000_000, now=NOW
            )

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        moved = await asyncio.gather(*(move(old) for old in olds for _ in range(2)))
    assert [sorted(moved[i : i + 2]) for i in range(0, 20, 2)] == [[False, True]] * 10
    async with db.read() as session:
        for old in olds:
            assert await groups.get(session, old) is None
            group = await groups.get(session, old - 1_000_000)
            assert group is not None and group.department == "三车间" and group.bound_by == 9


async def test_a_group_that_already_has_its_supergroup_row_is_not_moved_over_it(
    db: Database,
) -> None:
    async with db.begin() as session:
        await groups.record(session, chat_id=-4004, title="旧群", bot_status="member", now=NOW)
        await groups.record(session, chat_id=-1004004, title="新群", bot_status="member", now=NOW)
        assert not await groups.migrate(session, old_chat_id=-4004, new_chat_id=-1004004, now=NOW)
    async with db.read() as session:
        kept = await groups.get(session, -1004004)
    assert kept is not None and kept.title == "新群"


async def test_groups_the_bot_left_are_not_targets(db: Database) -> None:
    async with db.begin() as session:
        group = await groups.record(
            session, chat_id=-4002, title="二车间群", bot_status="member", now=NOW
        )
        await groups.bind(session, group, department="二车间", by=9, now=NOW)
        await groups.record(session, chat_id=-4002, title="二车间群", bot_status="kicked", now=NOW)
    async with db.read() as session:
        assert await groups.bound(session) == []
        kept = await groups.get(session, -4002)
    assert kept is not None and kept.department == "二车间"


async def test_dialog_state_round_trips_json(db: Database) -> None:
    data = {
        "name": "王小明",
        "birthday": {"kind": "lunar", "month": 6, "day": 10, "leap": True, "year": None},
    }
    async with db.begin() as session:
        await dialogs.put(
            session, user_id=5_000_000_001, flow="register", step=3, data=data, now=NOW
        )
    async with db.begin() as session:
        dialog = await dialogs.get(session, 5_000_000_001)
        assert dialog is not None and dialog.data == data and dialog.step == 3
        await dialogs.put(
            session,
            user_id=5_000_000_001,
            flow="register",
            step=4,
            data={**dialog.data, "share_birthday": True},
            now=NOW,
        )
    async with db.read() as session:
        dialog = await dialogs.get(session, 5_000_000_001)
    assert dialog is not None and dialog.step == 4 and dialog.data["share_birthday"] is True
    async with db.begin() as session:
        assert await dialogs.clear(session, user_id=5_000_000_001)
        assert not await dialogs.clear(session, user_id=5_000_000_001)
