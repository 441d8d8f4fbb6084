"""Secret-ballot votes: opening one (every eligible member gets a ballot privately), casting
(one registered, eligible member, one vote), and the votes open to a member. Telegram-free;
ballots go through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.core.states import Refused
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.roles import Role
from bot.strings import normalise_lang
from bot.votes.form import VoteDraft
from bot.votes.states import VoteAction, check_vote
from bot.votes.views import ballot_keyboard, ballot_text
from storage import votes
from storage.models import Member, Vote


@dataclass(frozen=True)
class Turnout:
    vote: Vote
    voted: int
    electorate: int
    mine: bool  # this member has voted in it


def eligible(vote: Vote, member: Member) -> bool:
    return vote.departments is None or member.department in vote.departments


async def start(
    session: AsyncSession, draft: VoteDraft, *, author: int, now: datetime, config: Config
) -> Vote:
    """Open the vote and queue every eligible member's ballot (once each)."""
    vote = await votes.add(session, **draft.model_dump(), created_by=author, created_at=now)
    await announce(session, vote, now=now, config=config)
    return vote


async def announce(session: AsyncSession, vote: Vote, *, now: datetime, config: Config) -> int:
    """Each eligible member gets the ballot privately."""
    assert vote.id is not None
    keyboard = ballot_keyboard(vote)
    messages = []
    for member in await votes.electorate(session, vote):
        if member.telegram_id is None or not member.active:
            continue
        assert member.id is not None
        text = ballot_text(vote, normalise_lang(member.language), config.union.zone)
        messages.append(
            Outgoing.text(
                keys.vote_ballot(vote.id, member.id),
                OutKind.VOTE,
                member.telegram_id,
                text,
                markup=keyboard,
                member_id=member.id,
            )
        )
    return await enqueue(session, messages, now=now)


async def cast(
    session: AsyncSession, *, vote_id: int, member: Member, option: int, role: Role, now: datetime
) -> Vote:
    """Count one ballot, in secret; Refused (vote_closed, vote_not_eligible, vote_already)
    otherwise. The vote row is locked, so a ballot and a close never race."""
    vote = await votes.lock(session, vote_id)
    if vote is None:
        raise Refused("vote_closed")
    check_vote(vote.status, VoteAction.CAST, role)
    if not vote.opens_at <= now < vote.closes_at:
        raise Refused("vote_closed")
    if not eligible(vote, member) or not 0 <= option < len(vote.options):
        raise Refused("vote_not_eligible")
    assert member.id is not None
    if await votes.has_voted(session, vote_id=vote_id, member_id=member.id):
        raise Refused("vote_already")
    await votes.cast(session, vote_id=vote_id, member_id=member.id, option=option)
    return vote


async def pressed_in_vain(
    session: AsyncSession, vote_id: int, *, refusal: str, now: datetime
) -> Vote | None:
    """The vote behind a ballot refused because it was cast already or the vote is over:
    its buttons are of no more use. None when they may still be (a vote not open yet)."""
    vote = await votes.get(session, vote_id)
    if vote is None or refusal not in ("vote_already", "vote_closed"):
        return None
    if refusal == "vote_closed" and now < vote.opens_at:
        return None
    return vote


async def open_to(session: AsyncSession, member: Member, *, now: datetime) -> list[Turnout]:
    """Open votes this member may vote in, with the turnout so far (never the results)."""
    assert member.id is not None
    return [
        Turnout(
            vote,
            await votes.turnout(session, vote.id or 0),
            await votes.electorate_size(session, vote),
            await votes.has_voted(session, vote_id=vote.id or 0, member_id=member.id),
        )
        for vote in await votes.open_votes(session, now=now)
        if eligible(vote, member)
    ]
