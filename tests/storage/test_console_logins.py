"""Console login links on both databases: only a hash is stored; a link works once, for its
user, for ten minutes."""

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.console import logins
from bot.console.auth import AuthError, token_hash
from storage.db import Database


async def test_a_link_works_once_within_ten_minutes(db: Database, clock: ManualClock) -> None:
    now = clock.now()
    async with db.begin() as session:
        token = await logins.issue(session, telegram_id=42, now=now)
        late = await logins.issue(session, telegram_id=43, now=now)
    from sqlalchemy import text

    async with db.read() as session:
        stored = (await session.exec(text("SELECT token_hash FROM console_login"))).all()  # type: ignore[call-overload]
    assert {row[0] for row in stored} == {token_hash(token), token_hash(late)}
    assert all(token not in row[0] for row in stored)
    async with db.begin() as session:
        assert await logins.redeem(session, token, now=now + timedelta(minutes=9)) == 42
    for used, moment in ((token, 9), (late, 11), ("forged", 1), ("", 1)):
        with pytest.raises(AuthError):
            async with db.begin() as session:
                await logins.redeem(session, used, now=now + timedelta(minutes=moment))
