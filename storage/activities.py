"""Queries on activities and sign-ups. Functions take the session first and never commit.

Places are taken under a lock on the activity row (PostgreSQL: SELECT … FOR UPDATE; SQLite:
the write transaction's BEGIN IMMEDIATE), and the unique (activity, member) constraint makes
a double tap one sign-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Activity, ActivityLog, Member, Signup
from storage.statuses import ActivityStatus, SignupState

HOLDING = (SignupState.CONFIRMED, SignupState.OFFERED)  # states that take a place


async def add(session: AsyncSession, **fields: Any) -> Activity:
    activity = Activity(**fields)
    session.add(activity)
    await session.flush()
    return activity


async def get(session: AsyncSession, activity_id: int) -> Activity | None:
    return await session.get(Activity, activity_id)


async def lock(session: AsyncSession, activity_id: int) -> Activity | None:
    """The activity, locked for this transaction so places are counted one taker at a time."""
    query = select(Activity).where(Activity.id == activity_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def save(session: AsyncSession, item: Activity | Signup) -> None:
    session.add(item)
    await session.flush()


async def upcoming(session: AsyncSession, *, now: datetime, limit: int = 10) -> list[Activity]:
    result = await session.exec(
        select(Activity)
        .where(Activity.status == ActivityStatus.OPEN, col(Activity.ends_at) > now)
        .order_by(col(Activity.starts_at))
        .limit(limit)
    )
    return list(result.all())


async def started_weekly(session: AsyncSession, *, now: datetime) -> list[Activity]:
    result = await session.exec(
        select(Activity)
        .where(
            col(Activity.weekly),
            Activity.status == ActivityStatus.OPEN,
            col(Activity.starts_at) <= now,
        )
        .order_by(col(Activity.id))  # locked in this order by every instance: no deadlock
    )
    return list(result.all())


async def in_series_at(session: AsyncSession, *, series_id: int, starts_at: datetime) -> bool:
    result = await session.exec(
        select(Activity.id).where(Activity.series_id == series_id, Activity.starts_at == starts_at)
    )
    return result.first() is not None


async def signup(session: AsyncSession, signup_id: int) -> Signup | None:
    return await session.get(Signup, signup_id)


async def signup_of(session: AsyncSession, *, activity_id: int, member_id: int) -> Signup | None:
    result = await session.exec(
        select(Signup).where(Signup.activity_id == activity_id, Signup.member_id == member_id)
    )
    return result.first()


async def signups(
    session: AsyncSession, activity_id: int, *, states: Sequence[SignupState]
) -> list[tuple[Signup, Member]]:
    result = await session.exec(
        select(Signup, Member)
        .join(Member, col(Member.id) == col(Signup.member_id))
        .where(Signup.activity_id == activity_id, col(Signup.state).in_(states))
        .order_by(col(Signup.created_at), col(Signup.id))
    )
    return [(signup, member) for signup, member in result.all()]


async def places_taken(session: AsyncSession, activity_id: int) -> int:
    result = await session.exec(
        select(func.coalesce(func.sum(1 + col(Signup.guests)), 0)).where(
            Signup.activity_id == activity_id, col(Signup.state).in_(HOLDING)
        )
    )
    return int(result.one())


async def count_in(session: AsyncSession, activity_id: int, state: SignupState) -> int:
    result = await session.exec(
        select(func.count())
        .select_from(Signup)
        .where(Signup.activity_id == activity_id, Signup.state == state)
    )
    return int(result.one())


async def expired_offers(session: AsyncSession, *, now: datetime) -> list[Signup]:
    result = await session.exec(
        select(Signup)
        .where(Signup.state == SignupState.OFFERED, col(Signup.offered_until) < now)
        .order_by(col(Signup.activity_id), col(Signup.id))
    )
    return list(result.all())


async def expire_offer(session: AsyncSession, signup_id: int, *, now: datetime) -> bool:
    """Let an offer lapse, only if it is still an offer past its time (it may have been
    taken a moment ago)."""
    result = await session.exec(
        update(Signup)
        .where(
            col(Signup.id) == signup_id,
            col(Signup.state) == SignupState.OFFERED,
            col(Signup.offered_until) < now,
        )
        .values(state=SignupState.CANCELLED, offered_until=None)
    )
    return bool(getattr(result, "rowcount", 0))


async def log(session: AsyncSession, **fields: Any) -> None:
    session.add(ActivityLog(**fields))
    await session.flush()


async def attendance(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[tuple[Activity, int, int]]:
    """Activities starting in a period (not cancelled), each with how many held a place and
    how many of them were checked in."""
    present = func.sum(case((col(Signup.checked_in_at).is_not(None), 1), else_=0))
    result = await session.exec(
        select(Activity, func.count(col(Signup.id)), present)
        .join(
            Signup,
            (col(Signup.activity_id) == col(Activity.id)) & col(Signup.state).in_(HOLDING),
            isouter=True,
        )
        .where(
            col(Activity.starts_at) >= start,
            col(Activity.starts_at) < end,
            Activity.status == ActivityStatus.OPEN,
        )
        .group_by(col(Activity.id))
        .order_by(col(Activity.starts_at))
    )
    return [(activity, int(going), int(came or 0)) for activity, going, came in result.all()]
