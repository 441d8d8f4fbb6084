"""A bench's union in two statements: registered members and three open activities, inserted
as rows (the services would take minutes for thousands of members)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Activity, Member


async def seed_members_and_activities(
    url: str,
    telegram_ids: Sequence[int],
    department: Callable[[int], str],
    *,
    first: int,
    capacity: int,
) -> None:
    """Migrate, then add these members (registered, 工友N for the id first + N) and three
    activities a few days ahead."""
    db = Database(url)
    await upgrade(db)
    now = datetime.now(UTC)
    people = [
        {"telegram_id": tid, "name": f"工友{tid - first}", "department": department(tid),
         "language": "zh", "role": "member", "active": True, "bday_leap": False,
         "share_birthday": False, "hide_year": True, "registered_at": now, "created_at": now,
         "updated_at": now}
        for tid in telegram_ids
    ]  # fmt: skip
    activities = [
        {"title": f"周末活动{i}", "description": "", "place": "工会活动室",
         "starts_at": now + timedelta(days=3 + i), "ends_at": now + timedelta(days=3 + i, hours=2),
         "deadline": now + timedelta(days=2 + i), "capacity": capacity, "guests_max": 0,
         "list_visible": True, "weekly": False, "status": "open", "created_by": 1,
         "created_at": now}
        for i in range(3)
    ]  # fmt: skip
    async with db.begin() as session:
        await session.exec(insert(Member), params=people)
        await session.exec(insert(Activity), params=activities)
    await db.dispose()
