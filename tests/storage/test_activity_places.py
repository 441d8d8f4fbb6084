"""Places are counted under a lock: racing sign-ups never exceed the capacity."""

import asyncio
from datetime import UTC, datetime, timedelta

from bot.activities.posts import Live
from bot.activities.signups import join
from bot.config import Config
from bot.core.states import Refused
from bot.roles import Role
from storage import activities, members
from storage.db import Database
from storage.models import Member
from storage.statuses import SignupState

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
LIVE = Live(Config.model_validate({"telegram": {"token": "1:x"}}), NOW, timedelta(seconds=10))


async def _setup(db: Database, count: int) -> tuple[int, list[Member]]:
    async with db.begin() as session:
        activity = await activities.add(
            session,
            title="羽毛球",
            starts_at=NOW + timedelta(days=3),
            ends_at=NOW + timedelta(days=3, hours=2),
            deadline=NOW + timedelta(days=2),
            capacity=20,
            created_by=1,
            created_at=NOW,
        )
        people = []
        for n in range(count):
            member = await members.add(
                session, now=NOW, telegram_id=900 + n, name=f"m{n}", department="一车间"
            )
            await members.mark_registered(session, member, now=NOW)
            people.append(member)
    assert activity.id is not None
    return activity.id, people


async def test_racing_sign_ups_fill_exactly_the_capacity(db_url: str) -> None:
    """On PostgreSQL the activity row is locked (SELECT … FOR UPDATE); on SQLite every write
    transaction starts with BEGIN IMMEDIATE. Either way the count is read under the lock."""
    setup = Database(db_url)
    activity_id, people = await _setup(setup, 25)
    await setup.dispose()
    engines = [Database(db_url) for _ in range(5)]

    async def press(index: int) -> str:
        try:
            async with engines[index % 5].begin() as session:
                pressed = await join(
                    session,
                    activity_id=activity_id,
                    member=people[index],
                    role=Role.MEMBER,
                    live=LIVE,
                )
        except Refused as refused:
            return refused.key
        return pressed.key

    results = await asyncio.gather(*(press(i) for i in range(25)), *(press(i) for i in range(5)))
    check = engines[0]
    async with check.read() as session:
        confirmed = await activities.signups(session, activity_id, states=(SignupState.CONFIRMED,))
        waiting = await activities.signups(session, activity_id, states=(SignupState.WAITLISTED,))
    for engine in engines:
        await engine.dispose()
    assert len(confirmed) == 20 and len(waiting) == 5
    assert results.count("act_join_already") == 5  # the double taps
    assert len({s.member_id for s, _ in confirmed + waiting}) == 25
