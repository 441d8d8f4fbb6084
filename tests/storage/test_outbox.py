from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from storage import outbox
from storage.db import Database
from storage.models import Outbox

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
LEASE = timedelta(seconds=60)


def _row(key: str, chat_id: int, **extra: object) -> dict[str, object]:
    return {
        "key": key,
        "kind": "notice",
        "chat_id": chat_id,
        "payload": {"parts": [{"text": key}]},
        **extra,
    }


async def _statuses(db: Database) -> dict[str, str]:
    async with db.read() as session:
        rows = (await session.exec(select(Outbox).order_by(col(Outbox.id)))).all()
    return {row.key: row.status for row in rows}


async def test_enqueue_is_idempotent_by_key(db: Database) -> None:
    async with db.begin() as session:
        assert await outbox.enqueue(session, [_row("a", 1), _row("b", 2)], now=NOW) == 2
    async with db.begin() as session:
        assert await outbox.enqueue(session, [_row("a", 1), _row("c", 3)], now=NOW) == 1
    assert await _statuses(db) == {"a": "pending", "b": "pending", "c": "pending"}


async def test_claim_takes_one_row_per_chat_and_skips_busy_and_future_rows(db: Database) -> None:
    async with db.begin() as session:
        await outbox.enqueue(
            session,
            [
                _row("a1", 1),
                _row("a2", 1),
                _row("b", 2),
                _row("c", 3),
                _row("later", 4, not_before=NOW + timedelta(minutes=5)),
            ],
            now=NOW,
        )
    async with db.begin() as session:
        rows = await outbox.claim(
            session, instance="i1", now=NOW, lease=LEASE, limit=10, busy_chats={3}
        )
    assert sorted(r.key for r in rows) == ["a1", "b"]
    async with db.begin() as session:
        again = await outbox.claim(
            session, instance="i2", now=NOW, lease=LEASE, limit=10, busy_chats=set()
        )
    assert sorted(r.key for r in again) == ["a2", "c"]  # claimed rows are not handed out twice


async def test_expired_leases_are_reclaimed_and_clean_stops_release(db: Database) -> None:
    async with db.begin() as session:
        await outbox.enqueue(session, [_row("a", 1), _row("b", 2)], now=NOW)
    async with db.begin() as session:
        await outbox.claim(
            session, instance="crashed", now=NOW, lease=LEASE, limit=10, busy_chats=set()
        )
    async with db.begin() as session:
        assert (
            await outbox.claim(
                session,
                instance="i2",
                now=NOW + timedelta(seconds=30),
                lease=LEASE,
                limit=10,
                busy_chats=set(),
            )
            == []
        )
    async with db.begin() as session:
        later = NOW + LEASE + timedelta(seconds=1)
        rows = await outbox.claim(
            session, instance="i2", now=later, lease=LEASE, limit=10, busy_chats=set()
        )
        assert len(rows) == 2
        await outbox.release_claims(session, instance="i2")
    assert set((await _statuses(db)).values()) == {"pending"}


async def test_unreachable_chats_and_migrations(db: Database) -> None:
    async with db.begin() as session:
        await outbox.enqueue(
            session, [_row("a", 1), _row("a2", 1), _row("g", -5), _row("sent", 1)], now=NOW
        )
        sent = await outbox.get_by_key(session, "sent")
        assert sent is not None and sent.id is not None
        await outbox.finish(session, sent.id, status=outbox.SENT, now=NOW, message_id=7)
    async with db.begin() as session:
        assert await outbox.close_chat(session, chat_id=1, reason="blocked") == 2
        await outbox.move_chat(session, old_chat_id=-5, new_chat_id=-1005)
    statuses = await _statuses(db)
    assert statuses == {"a": "inactive", "a2": "inactive", "g": "pending", "sent": "sent"}
    async with db.read() as session:
        moved = await outbox.get_by_key(session, "g")
        kept = await outbox.get_by_key(session, "sent")
    assert moved is not None and moved.chat_id == -1005
    assert kept is not None and kept.message_id == 7 and kept.sent_at == NOW


async def test_edits_coalesce_and_respect_the_interval(db: Database) -> None:
    interval = timedelta(seconds=10)
    async with db.begin() as session:
        for count in range(3):
            await outbox.schedule_edit(
                session,
                key="e",
                chat_id=-5,
                payload={"text": f"{count}"},
                ref_id=1,
                now=NOW,
                min_interval=interval,
            )
    async with db.read() as session:
        rows = (await session.exec(select(Outbox))).all()
    assert len(rows) == 1 and rows[0].payload == {"text": "2"}
    assert rows[0].id is not None
    async with db.begin() as session:
        await outbox.finish(session, rows[0].id, status=outbox.SENT, now=NOW)
        await outbox.schedule_edit(
            session,
            key="e",
            chat_id=-5,
            payload={"text": "3"},
            ref_id=1,
            now=NOW + timedelta(seconds=1),
            min_interval=interval,
        )
    async with db.read() as session:
        row = await outbox.get_by_key(session, "e")
        due = await outbox.next_due(session)
    assert row is not None and row.status == "pending" and row.payload == {"text": "3"}
    assert row.not_before == NOW + interval and due == NOW + interval


async def test_a_busy_chats_backlog_does_not_hide_other_chats(db: Database) -> None:
    backlog = [_row(f"group{n}", -5) for n in range(40)]
    async with db.begin() as session:
        await outbox.enqueue(session, [*backlog, _row("private", 7)], now=NOW)
    async with db.begin() as session:
        rows = await outbox.claim(
            session, instance="i", now=NOW, lease=LEASE, limit=2, busy_chats={-5}
        )
    assert [r.key for r in rows] == ["private"]
