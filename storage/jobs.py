"""Which daily jobs have run. Never commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import JobRun


async def has_run(session: AsyncSession, *, job: str, day: date) -> bool:
    return await session.get(JobRun, (job, day)) is not None


async def mark_run(session: AsyncSession, *, job: str, day: date, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    statement: Insert = maker(JobRun).on_conflict_do_nothing(index_elements=["job", "day"])
    await session.exec(statement.values(job=job, day=day, finished_at=now))
