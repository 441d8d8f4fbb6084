"""Generated from the vote state table: every (status, action, role) it does not allow — a
ballot or 结束投票 pressed as a forged button, the results asked for with /voteresults — is
refused in so many words and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.emulator import SentMessage
from bot.roles import Role
from bot.votes.callbacks import ClosePress, ballot
from bot.votes.states import REFUSED, VOTE_STATES, VoteAction
from storage import votes
from storage.models import Outbox, VoteParticipation
from storage.statuses import VoteStatus
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
GUEST, MEMBER, CADRE = 83_001, 83_002, 83_003
USERS = {Role.GUEST: GUEST, Role.MEMBER: MEMBER, Role.CADRE: CADRE, Role.ADMIN: ADMIN}


async def _snapshot(h: Harness, vote_id: int) -> tuple[Any, ...]:
    async with h.db.read() as session:
        vote = await votes.get(session, vote_id)
        assert vote is not None
        tallies = await votes.tallies(session, vote_id)
        voted = (await session.exec(select(VoteParticipation.member_id))).all()
        rows = (await session.exec(select(Outbox.key))).all()
    return vote.status, tallies, sorted(voted), sorted(rows)


async def _ask(h: Harness, user: int, where: SentMessage, action: VoteAction, vote_id: int) -> str:
    """Ask for the action the way a person would; returns what the bot said."""
    if action == VoteAction.RESULTS:
        [reply] = await h.send(user, f"/voteresults {vote_id}")
        return reply.text
    press = ballot(vote_id, 0) if action == VoteAction.CAST else ClosePress(vote_id=vote_id)
    sent, answer = await h.press(user, where, press.pack())
    assert sent == [], (action, user)
    return str(answer.get("text") or "")


async def test_every_move_the_vote_table_does_not_allow_is_refused(harness: Harness) -> None:
    h = harness
    await register(h, ADMIN, "周主席")
    await register(h, MEMBER, "王小明")
    await register(h, CADRE, "陈干事", username="chen")
    await appoint(h, "@chen")
    h.emu.user(GUEST, "游客")
    where = {user: (await h.send(user, "/help"))[0] for user in USERS.values()}
    async with h.db.begin() as session:
        vote = await votes.add(
            session,
            question="是否同意调整夏季作息时间？",
            options=["同意", "不同意"],
            opens_at=h.clock.now(),
            closes_at=h.clock.now() + timedelta(days=1),
            created_by=CADRE,
            created_at=h.clock.now(),
        )
    assert vote.id is not None
    tried = 0
    for status in VoteStatus:
        async with h.db.begin() as session:
            stored = await votes.get(session, vote.id)
            assert stored is not None
            stored.status = status
            session.add(stored)
        for action in VoteAction:
            needed = VOTE_STATES.needs(action)
            for role, user in USERS.items():
                if VOTE_STATES.allows(status, action, role):
                    continue
                if role < needed:
                    member_only = role == Role.GUEST and needed == Role.MEMBER
                    key = "register_first" if member_only else "not_allowed"
                else:
                    key = REFUSED[action]
                before = await _snapshot(h, vote.id)
                text = await _ask(h, user, where[user], action, vote.id)
                assert says(text, key), (status, action, role, text)
                assert await _snapshot(h, vote.id) == before, (status, action, role)
                tried += 1
    print("vote combinations tried:", tried)
    assert tried >= 14
