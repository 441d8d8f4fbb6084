"""Which daily jobs have run, and the manual reruns of a day. Never commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import JobRun


def _insert_ignore(session: AsyncSession) -> Insert:
    dialect = session.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    return maker(JobRun).on_conflict_do_nothing(index_elements=["job", "day"])


async def has_run(session: AsyncSession, *, job: str, day: date) -> bool:
    return await session.get(JobRun, (job, day)) is not None


async def mark_run(session: AsyncSession, *, job: str, day: date, now: datetime) -> None:
    await session.exec(_insert_ignore(session).values(job=job, day=day, finished_at=now))


async def claim_run(session: AsyncSession, *, job: str, day: date, now: datetime) -> bool:
    """Record that `job` runs on `day`; False if it was recorded already (so of two runs
    raced under one name, exactly one is told it may go)."""
    statement = _insert_ignore(session).values(job=job, day=day, finished_at=now)
    result = await session.exec(statement.returning(col(JobRun.job)))
    return result.first() is not None


async def count_runs(session: AsyncSession, *, prefix: str, day: date) -> int:
    """How many runs whose job name starts with `prefix` were recorded on `day`."""
    result = await session.exec(
        select(func.count())
        .select_from(JobRun)
        .where(col(JobRun.job).startswith(prefix), col(JobRun.day) == day)
    )
    return int(result.one())
