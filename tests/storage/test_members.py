from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import members
from storage.db import Database
from storage.models import RoleChange
from storage.statuses import StoredRole

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


async def test_add_find_update_and_timestamps_stay_utc(db: Database) -> None:
    async with db.begin() as session:
        added = await members.add(
            session,
            now=NOW,
            telegram_id=5_000_000_000,
            username="Wang_XM",
            name="王小明",
            department="一车间",
        )
        await members.mark_registered(session, added, now=NOW)
    async with db.read() as session:
        found = await members.get_by_telegram_id(session, 5_000_000_000)
        by_name = await members.find_by_handle(session, handle="@wang_xm")
        by_id = await members.find_by_handle(session, handle="5000000000")
    assert found is not None and by_name is not None and by_id is not None
    assert found.id == by_name.id == by_id.id
    assert found.registered_at == NOW and found.registered_at.tzinfo is not None
    async with db.begin() as session:
        found = await members.get_by_telegram_id(session, 5_000_000_000)
        assert found is not None
        await members.update(session, found, now=NOW + timedelta(hours=1), department="二车间")
    async with db.read() as session:
        again = await members.get_by_telegram_id(session, 5_000_000_000)
    assert again is not None and again.department == "二车间"
    assert again.updated_at == NOW + timedelta(hours=1)


async def test_unknown_fields_are_refused(db: Database) -> None:
    async with db.begin() as session:
        with pytest.raises(ValueError, match="not profile fields"):
            await members.add(session, now=NOW, name="x", department="y", role="admin")


async def test_telegram_id_is_unique(db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with db.begin() as session:
            await members.add(session, now=NOW, telegram_id=7, name="A", department="一车间")
            await members.add(session, now=NOW, telegram_id=7, name="B", department="一车间")


async def test_roster_rows_are_claimed_by_username_only_while_unclaimed(db: Database) -> None:
    async with db.begin() as session:
        await members.add(session, now=NOW, username="LiHua", name="李华", department="二车间")
    async with db.read() as session:
        row = await members.find_unclaimed_by_username(session, username="lihua")
        unregistered = await members.find_by_handle(session, handle="@lihua")
    assert row is not None and row.name == "李华"
    assert unregistered is None  # roster rows are not members until they register
    async with db.begin() as session:
        row = await members.find_unclaimed_by_username(session, username="lihua")
        assert row is not None
        await members.update(session, row, now=NOW, telegram_id=42)
    async with db.read() as session:
        assert await members.find_unclaimed_by_username(session, username="lihua") is None


async def test_roles_are_audited_and_erase_removes_everything(db: Database) -> None:
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=8, name="张三", department="一车间"
        )
        await members.mark_registered(session, member, now=NOW)
        await members.set_role(session, member, role="cadre", actor_telegram_id=1, now=NOW)
    async with db.read() as session:
        cadres = await members.with_role(session, roles=["cadre"])
        audit = (await session.exec(select(RoleChange))).all()
    assert [c.name for c in cadres] == ["张三"]
    assert [(a.actor_telegram_id, a.role) for a in audit] == [(1, "cadre")]
    async with db.begin() as session:
        assert await members.erase(session, telegram_id=8) is True
        assert await members.erase(session, telegram_id=8) is False
    async with db.read() as session:
        assert await members.get_by_telegram_id(session, 8) is None
        assert (await session.exec(select(RoleChange))).all() == []
        assert await members.count_registered(session) == 0


async def test_a_role_changes_once_from_the_role_it_was_seen_in(db: Database) -> None:
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=9, name="李四", department="一车间"
        )
        assert member.id is not None
        member_id = member.id
    changes = []
    for _ in range(2):  # two appointments raced from the same state
        async with db.begin() as session:
            changes.append(
                await members.change_role(
                    session,
                    member_id,
                    expected=StoredRole.MEMBER,
                    role=StoredRole.CADRE,
                    actor_telegram_id=1,
                    now=NOW,
                )
            )
    assert changes == [True, False]
    async with db.read() as session:
        member = await members.get(session, member_id)
        audit = (await session.exec(select(RoleChange))).all()
    assert member is not None and member.role == StoredRole.CADRE
    assert [(a.member_id, a.role) for a in audit] == [(member_id, StoredRole.CADRE)]
