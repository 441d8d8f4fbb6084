"""Which delivery workers are alive. Never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import WorkerPresence
from storage.upsert import insert


async def beat(session: AsyncSession, *, instance: str, now: datetime) -> None:
    """This worker is alive now."""
    statement = insert(session, WorkerPresence).values(instance=instance, seen_at=now)
    statement = statement.on_conflict_do_update(index_elements=["instance"], set_={"seen_at": now})
    await session.exec(statement)


async def alive(session: AsyncSession, *, since: datetime) -> int:
    """Workers seen since then (this one included, once it has beaten)."""
    result = await session.exec(
        select(func.count()).select_from(WorkerPresence).where(col(WorkerPresence.seen_at) >= since)
    )
    return int(result.one())


async def leave(session: AsyncSession, *, instance: str, before: datetime | None = None) -> None:
    """A worker stopping cleanly; with `before`, also forget those long gone."""
    condition = col(WorkerPresence.instance) == instance
    if before is not None:
        condition = condition | (col(WorkerPresence.seen_at) < before)
    await session.exec(delete(WorkerPresence).where(condition))
