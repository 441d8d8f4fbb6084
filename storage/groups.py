"""Queries on the groups the bot is in. Functions take the session first and never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import GroupChat


async def get(session: AsyncSession, chat_id: int) -> GroupChat | None:
    return await session.get(GroupChat, chat_id)


async def record(
    session: AsyncSession, *, chat_id: int, title: str, bot_status: str, now: datetime
) -> GroupChat:
    """Create or refresh the row for a group, keeping its binding."""
    group = await session.get(GroupChat, chat_id)
    if group is None:
        group = GroupChat(chat_id=chat_id, title=title[:128], bot_status=bot_status, updated_at=now)
    else:
        group.title = title[:128]
        group.bot_status = bot_status
        group.updated_at = now
    session.add(group)
    await session.flush()
    return group


async def bind(
    session: AsyncSession, group: GroupChat, *, department: str | None, by: int, now: datetime
) -> None:
    group.department = department
    group.bound_by = by if department is not None else None
    group.bound_at = now if department is not None else None
    group.updated_at = now
    session.add(group)
    await session.flush()


async def migrate(
    session: AsyncSession, *, old_chat_id: int, new_chat_id: int, now: datetime
) -> bool:
    """Move a group's row to its new supergroup id; idempotent (both service messages call it,
    possibly at once in two processes or tasks). One conditional UPDATE: the second mover waits
    on the row, then finds it already moved, where a read-then-delete would delete it twice."""
    other = aliased(GroupChat)  # not correlated with the row being moved
    taken = select(col(other.chat_id)).where(col(other.chat_id) == new_chat_id).exists()
    result = await session.exec(
        update(GroupChat)
        .where(col(GroupChat.chat_id) == old_chat_id, ~taken)
        .values(chat_id=new_chat_id, updated_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


async def bound(session: AsyncSession, *, departments: list[str] | None = None) -> list[GroupChat]:
    """Groups bound to a department that the bot is still in, optionally for some departments."""
    query = select(GroupChat).where(
        col(GroupChat.department).is_not(None), col(GroupChat.bot_status).in_(_PRESENT)
    )
    if departments is not None:
        query = query.where(col(GroupChat.department).in_(departments))
    result = await session.exec(query.order_by(col(GroupChat.department), col(GroupChat.title)))
    return list(result.all())


_PRESENT = ("member", "administrator")


async def with_department(session: AsyncSession) -> list[GroupChat]:
    """Every group bound to a department, whatever the bot last heard of its standing there."""
    query = select(GroupChat).where(col(GroupChat.department).is_not(None))
    result = await session.exec(query.order_by(col(GroupChat.department), col(GroupChat.title)))
    return list(result.all())
