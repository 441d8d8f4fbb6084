"""Queries on the outbox. Functions take the session first and never commit.

Claiming is safe with several bot instances: PostgreSQL skips rows another instance has
locked (FOR UPDATE SKIP LOCKED); SQLite's write transactions are serialised anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox
from storage.statuses import OutboxKind, OutboxStatus
from storage.upsert import insert_ignoring

PENDING, SENDING, SENT, FAILED, INACTIVE, CANCELLED = (
    OutboxStatus.PENDING,
    OutboxStatus.SENDING,
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.INACTIVE,
    OutboxStatus.CANCELLED,
)
# schedule_edit retries only after another writer changed the row: the worker claims and
# settles a row once per send, so a few rounds always settle.
EDIT_RACE_RETRIES = 5


async def enqueue(session: AsyncSession, rows: Iterable[dict[str, Any]], *, now: datetime) -> int:
    """Add rows (dicts of Outbox columns); a key already present is left as it is.
    Returns how many rows were new."""
    values = [{"created_at": now, "not_before": now, "status": PENDING, **row} for row in rows]
    if not values:
        return 0
    added = 0
    for start in range(0, len(values), 1000):
        result = await session.exec(
            insert_ignoring(session, Outbox, ["key"]).returning(col(Outbox.id)),
            params=values[start : start + 1000],
        )
        added += len(result.all())
    return added


async def claim(
    session: AsyncSession,
    *,
    instance: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    busy_chats: set[int],
) -> list[Outbox]:
    """Take up to `limit` due rows (at most one per chat, none for a chat already in flight)
    and lease them to this instance. Rows whose lease ran out (a crashed instance) are due."""
    candidates: list[Outbox] = []
    waiting = (col(Outbox.status) == PENDING) & (col(Outbox.not_before) <= now)
    abandoned = (col(Outbox.status) == SENDING) & (col(Outbox.lease_until) < now)
    for due in (abandoned, waiting):
        query = select(Outbox).where(due).order_by(col(Outbox.id)).limit(limit * 4)
        if busy_chats:
            # A chat already sending (a group at 20 a minute) must not hide everyone behind it.
            query = query.where(col(Outbox.chat_id).not_in(busy_chats))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates.extend((await session.exec(query)).all())
    chosen: list[Outbox] = []
    chats = set(busy_chats)
    for row in candidates:
        if row.chat_id in chats:
            continue
        chats.add(row.chat_id)
        chosen.append(row)
        if len(chosen) == limit:
            break
    if chosen:
        await session.exec(
            update(Outbox)
            .where(col(Outbox.id).in_([row.id for row in chosen]))
            .values(status=SENDING, claimed_by=instance, lease_until=now + lease)
        )
        for row in chosen:
            row.status, row.claimed_by, row.lease_until = SENDING, instance, now + lease
    return chosen


async def finish(
    session: AsyncSession,
    row_id: int,
    *,
    status: str,
    now: datetime,
    message_id: int | None = None,
    error: str | None = None,
    attempts: int | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "lease_until": None, "error": error}
    if status == SENT:
        values.update(sent_at=now, message_id=message_id)
    if attempts is not None:
        values["attempts"] = attempts
    await session.exec(update(Outbox).where(col(Outbox.id) == row_id).values(**values))


async def mark_sent(
    session: AsyncSession, sent: list[tuple[int, int | None]], *, now: datetime
) -> None:
    """Settle many delivered rows at once: (row id, Telegram message id) pairs."""
    if not sent:
        return
    table = SQLModel.metadata.tables["outbox"]  # Core executemany: the ORM's bulk path costs more
    statement = (
        update(table)
        # A row made pending again while it was being sent (a newer live count) is due again.
        .where(table.c.id == bindparam("row_id"), table.c.status == SENDING)
        .values(
            status=SENT,
            sent_at=now,
            message_id=bindparam("telegram_id"),
            lease_until=None,
            error=None,
        )
    )
    await session.exec(
        statement,
        params=[{"row_id": row_id, "telegram_id": message_id} for row_id, message_id in sent],
    )


async def retry_later(
    session: AsyncSession, row_id: int, *, not_before: datetime, attempts: int, error: str | None
) -> None:
    await session.exec(
        update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(
            status=PENDING,
            not_before=not_before,
            attempts=attempts,
            error=error,
            lease_until=None,
            claimed_by=None,
        )
    )


async def close_chat(session: AsyncSession, *, chat_id: int, reason: str) -> int:
    """The chat is unreachable for good: every waiting row for it is settled as inactive."""
    result = await session.exec(
        update(Outbox)
        .where(col(Outbox.chat_id) == chat_id, col(Outbox.status).in_([PENDING, SENDING]))
        .values(status=INACTIVE, error=reason, lease_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def move_chat(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: rows still waiting follow it to the new id."""
    await session.exec(
        update(Outbox)
        .where(col(Outbox.chat_id) == old_chat_id, col(Outbox.status).in_([PENDING, SENDING]))
        .values(chat_id=new_chat_id)
    )


async def release_claims(session: AsyncSession, *, instance: str) -> None:
    """A clean shutdown hands unsent rows back at once instead of waiting out the lease."""
    await session.exec(
        update(Outbox)
        .where(col(Outbox.status) == SENDING, col(Outbox.claimed_by) == instance)
        .values(status=PENDING, lease_until=None, claimed_by=None)
    )


async def get_by_key(session: AsyncSession, key: str) -> Outbox | None:
    return (await session.exec(select(Outbox).where(Outbox.key == key))).first()


async def schedule_edit(
    session: AsyncSession,
    *,
    key: str,
    chat_id: int,
    payload: dict[str, Any],
    ref_id: int | None,
    now: datetime,
    min_interval: timedelta,
) -> None:
    """Queue an edit of a sent message, coalescing: one row per key holds the newest text,
    and it goes out no sooner than min_interval after the previous edit.

    Each write names the status it was decided on: the worker may claim or settle the row
    between our read and our write, and a new text written onto a row it then marks sent
    would never go out."""
    for _ in range(EDIT_RACE_RETRIES):
        row = (
            await session.exec(
                select(Outbox).where(Outbox.key == key).execution_options(populate_existing=True)
            )
        ).first()
        if row is None:
            edit = {
                "key": key,
                "kind": OutboxKind.EDIT.value,
                "chat_id": chat_id,
                "payload": payload,
                "ref_id": ref_id,
            }
            if await enqueue(session, [edit], now=now):
                return
            continue  # another writer queued it first: update theirs
        values: dict[str, Any] = {"payload": payload}
        if row.status == SENDING:
            # The older text is on its way: this one goes after it (mark_sent leaves a row it
            # finds pending again alone), so the newest count is never lost.
            values.update(status=PENDING, not_before=now + min_interval, attempts=0, error=None)
        elif row.status != PENDING:
            earliest = (row.sent_at or now) + min_interval
            values.update(status=PENDING, not_before=max(now, earliest), attempts=0, error=None)
        result = await session.exec(
            update(Outbox)
            .where(col(Outbox.id) == row.id, col(Outbox.status) == row.status)
            .values(**values)
        )
        if getattr(result, "rowcount", 0):
            return
    raise RuntimeError(f"edit {key} kept changing under us")


async def next_due(session: AsyncSession) -> datetime | None:
    """When the earliest waiting row becomes due (for the worker's sleep)."""
    result = await session.exec(
        select(func.min(Outbox.not_before)).where(col(Outbox.status) == PENDING)
    )
    return result.one()


async def for_ref(
    session: AsyncSession, *, ref_id: int, kinds: list[str], groups_only: bool = False
) -> list[Outbox]:
    """The rows queued for one notice (or other source); only those to groups if asked."""
    query = select(Outbox).where(col(Outbox.ref_id) == ref_id, col(Outbox.kind).in_(kinds))
    if groups_only:
        query = query.where(col(Outbox.chat_id) < 0)
    return list((await session.exec(query)).all())


async def deliveries(
    session: AsyncSession, *, ref_id: int, kinds: list[str]
) -> list[tuple[int | None, int, str, str | None]]:
    """(member id, chat id, status, error) of the rows queued for one notice: what a receipt
    needs, without the messages themselves."""
    result = await session.exec(
        select(Outbox.member_id, Outbox.chat_id, Outbox.status, Outbox.error).where(
            col(Outbox.ref_id) == ref_id, col(Outbox.kind).in_(kinds)
        )
    )
    return [
        (member_id, chat_id, status, error) for member_id, chat_id, status, error in result.all()
    ]


async def purge_delivered(session: AsyncSession, *, key_prefix: str, kind: str) -> None:
    """Delete settled rows of one kind whose key starts with the prefix (erasing a link)."""
    await session.exec(
        delete(Outbox).where(
            col(Outbox.key).startswith(key_prefix, autoescape=True),
            col(Outbox.kind) == kind,
            col(Outbox.status).not_in([PENDING, SENDING]),
        )
    )


async def count_open(session: AsyncSession, *, due_by: datetime | None = None) -> int:
    """Rows still to deliver (only those due by `due_by`, when given)."""
    query = (
        select(func.count()).select_from(Outbox).where(col(Outbox.status).in_([PENDING, SENDING]))
    )
    if due_by is not None:
        query = query.where(col(Outbox.not_before) <= due_by)
    return int((await session.exec(query)).one())


async def senders(session: AsyncSession) -> list[str]:
    """The instances that delivered rows (several bot processes share one outbox)."""
    result = await session.exec(
        select(Outbox.claimed_by)
        .where(Outbox.status == SENT, col(Outbox.claimed_by).is_not(None))
        .distinct()
    )
    return [name for name in result.all() if name is not None]


async def waiting_by_kind(
    session: AsyncSession, *, now: datetime
) -> list[tuple[str, int, datetime | None]]:
    """Per kind: rows still to deliver, and the earliest due time among those already due."""
    waiting = col(Outbox.status).in_([PENDING, SENDING])
    depth = await session.exec(
        select(Outbox.kind, func.count()).where(waiting).group_by(Outbox.kind)
    )
    oldest = await session.exec(
        select(Outbox.kind, func.min(Outbox.not_before))
        .where(waiting, col(Outbox.not_before) <= now)
        .group_by(Outbox.kind)
    )
    due = {str(kind): when for kind, when in oldest.all()}
    return [(str(kind), int(count), due.get(str(kind))) for kind, count in depth.all()]


async def oldest_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the longest-waiting row that is already due fell due (None: nothing is late)."""
    result = await session.exec(
        select(func.min(Outbox.not_before)).where(
            col(Outbox.status).in_([PENDING, SENDING]), col(Outbox.not_before) <= now
        )
    )
    return result.one()


async def last_queued(session: AsyncSession, *, kind: OutboxKind, ref_id: int) -> datetime | None:
    """When the newest row of this kind about this thing (a notice's reminder) was queued."""
    result = await session.exec(
        select(func.max(Outbox.created_at)).where(
            col(Outbox.kind) == kind, col(Outbox.ref_id) == ref_id
        )
    )
    return result.one()
