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
from sqlalchemy.orm import aliased
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


async def changes(session: AsyncSession, activity_id: int) -> int:
    """How many times the activity was edited or cancelled (its calendar file's SEQUENCE)."""
    result = await session.exec(
        select(func.count())
        .select_from(ActivityLog)
        .where(
            ActivityLog.activity_id == activity_id,
            col(ActivityLog.action).in_(("edit", "cancel")),
        )
    )
    return int(result.one())


async def counts_of(
    session: AsyncSession, activity_ids: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """Places taken (guests included) and how many wait, for several activities in one query."""
    if not activity_ids:
        return {}
    holding = col(Signup.state).in_(HOLDING)
    taken = func.sum(case((holding, 1 + col(Signup.guests)), else_=0))
    waiting = func.sum(case((col(Signup.state) == SignupState.WAITLISTED, 1), else_=0))
    result = await session.exec(
        select(Signup.activity_id, taken, waiting)
        .where(col(Signup.activity_id).in_(activity_ids))
        .group_by(col(Signup.activity_id))
    )
    return {activity_id: (int(t or 0), int(w or 0)) for activity_id, t, w in result.all()}


async def places_of(
    session: AsyncSession, member_id: int, activity_ids: Sequence[int]
) -> dict[int, tuple[SignupState, int]]:
    """The member's sign-up state at each of several activities (not cancelled ones), with
    their place in the queue when waiting (0 otherwise): two queries, however many."""
    if not activity_ids:
        return {}
    result = await session.exec(
        select(Signup.activity_id, Signup.state).where(
            Signup.member_id == member_id,
            col(Signup.activity_id).in_(activity_ids),
            Signup.state != SignupState.CANCELLED,
        )
    )
    places = {activity_id: (SignupState(state), 0) for activity_id, state in result.all()}
    queued = [a for a, (state, _) in places.items() if state == SignupState.WAITLISTED]
    if queued:
        mine = aliased(Signup)
        ahead = (col(Signup.created_at) < col(mine.created_at)) | (
            (col(Signup.created_at) == col(mine.created_at)) & (col(Signup.id) <= col(mine.id))
        )
        positions = await session.exec(
            select(Signup.activity_id, func.count())
            .join(mine, col(mine.activity_id) == col(Signup.activity_id))
            .where(
                mine.member_id == member_id,
                mine.state == SignupState.WAITLISTED,
                Signup.state == SignupState.WAITLISTED,
                col(Signup.activity_id).in_(queued),
                ahead,
            )
            .group_by(col(Signup.activity_id))
        )
        for activity_id, position in positions.all():
            places[activity_id] = (SignupState.WAITLISTED, int(position))
    return places
