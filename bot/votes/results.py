"""Closing a vote — by a cadre's press or when its time is up — and its results: the status
moves by compare-and-set, so the results go to the groups once, whoever closes it first.
Telegram-free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.core.states import Refused
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.roles import Role
from bot.votes.states import VOTE_STATES, VoteAction, check_vote
from bot.votes.views import results_text
from storage import groups, votes
from storage.models import Vote


@dataclass(frozen=True)
class Standing:
    """Where a vote stands: the turnout, and the counts once the table lets them be seen."""

    vote: Vote
    turnout: int
    electorate: int
    counts: list[int] | None  # None: still open, only the turnout is shown


async def standing(session: AsyncSession, vote_id: int, *, role: Role) -> Standing:
    vote = await votes.get(session, vote_id)
    if vote is None or vote.id is None:
        raise Refused("vote_unknown")
    turnout = await votes.turnout(session, vote.id)
    electorate = await votes.electorate_size(session, vote)
    try:
        check_vote(vote.status, VoteAction.RESULTS, role)
    except Refused:
        return Standing(vote, turnout, electorate, None)
    return Standing(vote, turnout, electorate, await votes.tallies(session, vote.id))


async def recent(session: AsyncSession, *, closed_since: datetime) -> list[Vote]:
    """The open votes and those closed since then: what /voteresults lists by number."""
    return await votes.recent(session, closed_since=closed_since)


async def overview(
    session: AsyncSession, *, now: datetime, role: Role, closed_since: datetime
) -> list[Standing]:
    """Open votes with their turnout, and lately closed ones with their results (the table
    shows counts only once a vote is closed)."""
    standings = []
    for vote in await votes.recent(session, closed_since=closed_since):
        assert vote.id is not None
        turnout = await votes.turnout(session, vote.id)
        electorate = await votes.electorate_size(session, vote)
        shown = VOTE_STATES.allows(vote.status, VoteAction.RESULTS, role)
        counts = await votes.tallies(session, vote.id) if shown else None
        standings.append(Standing(vote, turnout, electorate, counts))
    return standings


async def close(
    session: AsyncSession, vote_id: int, *, role: Role, now: datetime, config: Config
) -> tuple[Standing, int]:
    """Close a vote now and queue its results to the groups of its departments; Refused if
    it has closed already (a second press, the tick a moment earlier). Returns the results
    and how many groups they go to."""
    vote = await votes.get(session, vote_id)
    if vote is None:
        raise Refused("vote_unknown")
    check_vote(vote.status, VoteAction.CLOSE, role)
    if not await votes.close(session, vote):
        raise Refused("vote_already_closed")
    posted = await _post_results(session, vote, now=now, config=config)
    return await standing(session, vote_id, role=role), posted


async def close_due(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Close votes whose time is up and tell the result to the groups of their departments."""
    queued = 0
    for vote in await votes.due_to_close(session, now=now):
        assert vote.id is not None
        if await votes.close(session, vote):
            queued += await _post_results(session, vote, now=now, config=config)
    return queued


async def _post_results(session: AsyncSession, vote: Vote, *, now: datetime, config: Config) -> int:
    assert vote.id is not None
    text = results_text(
        vote,
        await votes.tallies(session, vote.id),
        await votes.turnout(session, vote.id),
        await votes.electorate_size(session, vote),
        config.union.default_language,
        least=config.open.min_count,
    )
    messages = [
        Outgoing.text(keys.vote_results(vote.id, group.chat_id), OutKind.VOTE, group.chat_id, text)
        for group in await groups.bound(session, departments=vote.departments)
    ]
    return await enqueue(session, messages, now=now)
