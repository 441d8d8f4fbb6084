"""Queries on votes. Never commits. Casting locks the vote row, so a double vote is refused
and two ballots never race on one tally."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, Vote, VoteParticipation, VoteTally
from storage.statuses import VoteStatus


async def add(session: AsyncSession, **fields: Any) -> Vote:
    vote = Vote(**fields)
    session.add(vote)
    await session.flush()
    assert vote.id is not None
    for index in range(len(vote.options)):
        session.add(VoteTally(vote_id=vote.id, option=index, count=0))
    await session.flush()
    return vote


async def get(session: AsyncSession, vote_id: int) -> Vote | None:
    return await session.get(Vote, vote_id)


async def lock(session: AsyncSession, vote_id: int) -> Vote | None:
    query = select(Vote).where(Vote.id == vote_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def open_votes(session: AsyncSession, *, now: datetime) -> list[Vote]:
    result = await session.exec(
        select(Vote)
        .where(Vote.status == VoteStatus.OPEN, col(Vote.opens_at) <= now)
        .order_by(col(Vote.closes_at))
    )
    return list(result.all())


async def due_to_close(session: AsyncSession, *, now: datetime) -> list[Vote]:
    result = await session.exec(
        select(Vote)
        .where(Vote.status == VoteStatus.OPEN, col(Vote.closes_at) <= now)
        .order_by(col(Vote.id))
    )
    return list(result.all())


async def close(session: AsyncSession, vote: Vote) -> bool:
    """Close an open vote and keep the size of its electorate as it is now; False if it was
    closed already (of two closes raced, one wins)."""
    result = await session.exec(
        update(Vote)
        .where(col(Vote.id) == vote.id, col(Vote.status) == VoteStatus.OPEN)
        .values(status=VoteStatus.CLOSED, electorate=await electorate_size(session, vote))
    )
    return bool(getattr(result, "rowcount", 0))


async def has_voted(session: AsyncSession, *, vote_id: int, member_id: int) -> bool:
    return await session.get(VoteParticipation, (vote_id, member_id)) is not None


async def cast(session: AsyncSession, *, vote_id: int, member_id: int, option: int) -> None:
    """Record that the member voted, and add one to the option's tally — separately."""
    session.add(VoteParticipation(vote_id=vote_id, member_id=member_id))
    await session.exec(
        update(VoteTally)
        .where(col(VoteTally.vote_id) == vote_id, col(VoteTally.option) == option)
        .values(count=col(VoteTally.count) + 1)
    )
    await session.flush()


async def turnout(session: AsyncSession, vote_id: int) -> int:
    result = await session.exec(
        select(func.count())
        .select_from(VoteParticipation)
        .where(VoteParticipation.vote_id == vote_id)
    )
    return int(result.one())


async def electorate(session: AsyncSession, vote: Vote) -> list[Member]:
    query = select(Member).where(col(Member.registered_at).is_not(None))
    if vote.departments is not None:
        query = query.where(col(Member.department).in_(vote.departments))
    return list((await session.exec(query)).all())


async def tallies(session: AsyncSession, vote_id: int) -> list[int]:
    result = await session.exec(
        select(VoteTally).where(VoteTally.vote_id == vote_id).order_by(col(VoteTally.option))
    )
    return [row.count for row in result.all()]


async def recent(session: AsyncSession, *, closed_since: datetime) -> list[Vote]:
    """Open votes, and those that closed since a moment, soonest closing first."""
    result = await session.exec(
        select(Vote)
        .where(or_(col(Vote.status) == VoteStatus.OPEN, col(Vote.closes_at) >= closed_since))
        .order_by(col(Vote.status).desc(), col(Vote.closes_at))
    )
    return list(result.all())


async def electorate_size(session: AsyncSession, vote: Vote) -> int:
    """How many members may vote: as counted when it closed, else now (counted, not loaded)."""
    if vote.electorate is not None:
        return vote.electorate
    query = select(func.count()).select_from(Member).where(col(Member.registered_at).is_not(None))
    if vote.departments is not None:
        query = query.where(col(Member.department).in_(vote.departments))
    return int((await session.exec(query)).one())
