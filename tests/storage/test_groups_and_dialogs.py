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
