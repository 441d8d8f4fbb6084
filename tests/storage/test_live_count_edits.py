"""A live count changed while its previous edit is being sent is not lost: the row is due
again with the newest text, and the send in flight settling does not mark it sent."""

from datetime import UTC, datetime, timedelta

import pytest

from storage import outbox
from storage.db import Database

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
INTERVAL = timedelta(seconds=10)


async def _edit(db: Database, text: str, now: datetime) -> None:
    async with db.begin() as session:
        await outbox.schedule_edit(
            session,
            key="post:count",
            chat_id=-5,
            payload={"target_key": "post", "text": text},
            ref_id=1,
            now=now,
            min_interval=INTERVAL,
        )


async def test_a_count_changed_mid_send_goes_out_after_it(db: Database) -> None:
    await _edit(db, "已报名 1/20", NOW)
    async with db.begin() as session:
        [sending] = await outbox.claim(
            session, instance="i", now=NOW, lease=timedelta(seconds=60), limit=5, busy_chats=set()
        )
    assert sending.payload["text"] == "已报名 1/20"
    await _edit(db, "已报名 2/20", NOW)  # while 1/20 is on its way
    async with db.begin() as session:
        assert sending.id is not None
        await outbox.mark_sent(session, [(sending.id, 77)], now=NOW)
    async with db.read() as session:
        row = await outbox.get_by_key(session, "post:count")
    assert row is not None and row.status == outbox.PENDING
    assert row.payload["text"] == "已报名 2/20" and row.not_before == NOW + INTERVAL
    async with db.begin() as session:
        again = await outbox.claim(
            session,
            instance="i",
            now=NOW + INTERVAL,
            lease=timedelta(seconds=60),
            limit=5,
            busy_chats=set(),
        )
        assert [r.payload["text"] for r in again] == ["已报名 2/20"]
        await outbox.mark_sent(session, [(again[0].id or 0, 77)], now=NOW + INTERVAL)
    async with db.read() as session:
        settled = await outbox.get_by_key(session, "post:count")
    assert settled is not None and settled.status == outbox.SENT


async def test_a_count_written_while_the_worker_claims_it_is_not_lost(db: Database) -> None:
    """The refresh reads the edit as waiting, the worker claims and sends the older text,
    then the refresh writes the newer one: it must be due again, not marked sent with it."""
    if db.is_sqlite:
        pytest.skip("SQLite's write transactions are serialised: no claim can come between")
    await _edit(db, "已报名 1/20", NOW)
    async with db.begin() as refreshing:
        seen = await outbox.get_by_key(refreshing, "post:count")
        assert seen is not None and seen.status == outbox.PENDING
        async with db.begin() as worker:
            [sending] = await outbox.claim(
                worker,
                instance="i",
                now=NOW,
                lease=timedelta(seconds=60),
                limit=5,
                busy_chats=set(),
            )
        await outbox.schedule_edit(
            refreshing,
            key="post:count",
            chat_id=-5,
            payload={"target_key": "post", "text": "已报名 2/20"},
            ref_id=1,
            now=NOW,
            min_interval=INTERVAL,
        )
    async with db.begin() as worker:
        await outbox.mark_sent(worker, [(sending.id or 0, 77)], now=NOW)
    async with db.read() as session:
        row = await outbox.get_by_key(session, "post:count")
    assert row is not None and row.status == outbox.PENDING
    assert row.payload["text"] == "已报名 2/20" and row.not_before == NOW + INTERVAL
