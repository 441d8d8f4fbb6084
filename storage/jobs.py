"""Which recurring jobs have run, for which due time, and the manual reruns of a day.
Never commits."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import JobLease, JobRun
from storage.upsert import insert_ignoring

if TYPE_CHECKING:
    from storage.upsert import Upsert


def _insert_ignore(session: AsyncSession, table: type[JobRun] | type[JobLease]) -> Upsert:
    keys = ["job", "day"] if table is JobRun else ["job", "slot"]
    return insert_ignoring(session, table, keys)


async def has_run(session: AsyncSession, *, job: str, day: date) -> bool:
    return await session.get(JobRun, (job, day)) is not None


async def mark_run(session: AsyncSession, *, job: str, day: date, now: datetime) -> None:
    await session.exec(_insert_ignore(session, JobRun).values(job=job, day=day, finished_at=now))


async def claim_run(session: AsyncSession, *, job: str, day: date, now: datetime) -> bool:
    """Record that `job` runs on `day`; False if it was recorded already (so of two runs
    raced under one name, exactly one is told it may go: the other waits on the row, then
    finds it taken)."""
    statement = _insert_ignore(session, JobRun).values(job=job, day=day, finished_at=now)
    result = await session.exec(statement.returning(col(JobRun.job)))
    return result.first() is not None


async def count_runs(session: AsyncSession, *, prefix: str, day: date) -> int:
    """How many runs of jobs named with this prefix a day has had (manual reruns)."""
    result = await session.exec(
        select(func.count())
        .select_from(JobRun)
        .where(col(JobRun.job).startswith(prefix), col(JobRun.day) == day)
    )
    return int(result.one())


async def claim_slot(
    session: AsyncSession, *, job: str, slot: str, instance: str, now: datetime
) -> bool:
    """Take one run of a recurring job for one due time; False if another instance has."""
    statement = _insert_ignore(session, JobLease).values(
        job=job, slot=slot, instance=instance, at=now
    )
    result = await session.exec(statement.returning(col(JobLease.job)))
    return result.first() is not None


async def forget_slots(session: AsyncSession, *, before: datetime) -> None:
    """Old leases are only history; the retention job drops them."""
    await session.exec(delete(JobLease).where(col(JobLease.at) < before))
