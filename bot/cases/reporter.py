"""A reporter's side of their case: adding information, rating how it was handled, and
reading their own cases. Each action is checked against the case's table and its ownership,
whoever asks. Telegram-free; never commits."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.notify import handlers_of, member_lang, open_keyboard, tell_chairs, to_member
from bot.cases.states import CaseAction, table_for
from bot.config import Config
from bot.core.states import Refused
from bot.delivery import keys
from bot.delivery.outgoing import enqueue
from bot.roles import Role
from bot.strings import Html, t
from storage import cases
from storage.models import Case, CaseEntry, Member
from storage.statuses import CaseActor, CaseEntryAction, CaseStatus

SATISFIED, NOT_SATISFIED = "satisfied", "not satisfied"  # a rating, as the thread keeps it


async def own_case(session: AsyncSession, case_id: int, member: Member) -> Case:
    """The member's own case (Refused, saying so, for anyone else's)."""
    case = await cases.get(session, case_id)
    if case is None or member.id is None or case.reporter_member_id != member.id:
        raise Refused("case_not_yours")
    return case


async def own_thread(
    session: AsyncSession, case_id: int, member: Member
) -> tuple[Case, list[CaseEntry]]:
    case = await own_case(session, case_id, member)
    return case, await cases.entries(session, case_id)


async def own_cases(session: AsyncSession, member: Member) -> list[Case]:
    """The member's cases, newest first (an anonymous one until it closes)."""
    return await cases.of_reporter(session, member.id) if member.id is not None else []


async def may_add(session: AsyncSession, case_id: int, *, member: Member, role: Role) -> Case:
    """Whether the member may add information to the case now (Refused if not)."""
    case = await own_case(session, case_id, member)
    table_for(case.kind).check(case.status, CaseAction.ADD, role)
    return case


async def add_information(
    session: AsyncSession,
    case_id: int,
    *,
    member: Member,
    role: Role,
    text: str,
    now: datetime,
    config: Config,
) -> Case:
    """The reporter adds information; it reaches the assignee, or every cadre if none, and
    the chair too while the case is with the chair (escalated, or reopened as unsatisfied)."""
    case = await may_add(session, case_id, member=member, role=role)
    # A compare-and-set on the status it was read in: a case closed meanwhile is left alone.
    if not await cases.transition(session, case, to=case.status):
        raise Refused("action_not_allowed")
    assert case.id is not None
    entry = await cases.add_entry(
        session,
        case_id=case.id,
        actor=CaseActor.REPORTER,
        action=CaseEntryAction.ADDED_INFO,
        at=now,
        text=text,
    )
    assert entry.id is not None
    messages = [
        to_member(
            keys.case_to_member(case.id, entry.id, cadre.id or 0),
            cadre,
            t(member_lang(cadre), "case_reporter_added", id=case.id, text=Html(text)),
            open_keyboard(case.id, member_lang(cadre)),
        )
        for cadre in await handlers_of(session, case, config)
    ]
    if case.status == CaseStatus.ESCALATED:
        told = {message.chat_id for message in messages}
        chairs = await tell_chairs(
            session,
            case,
            "case_reporter_added",
            key=partial(keys.case_to_chair, case.id, entry.id),
            note=text,
            config=config,
        )
        messages += [message for message in chairs if message.chat_id not in told]
    await enqueue(session, messages, now=now)
    return case


async def rate(
    session: AsyncSession,
    case_id: int,
    *,
    member: Member,
    role: Role,
    satisfied: bool,
    now: datetime,
    config: Config,
) -> Case:
    """Satisfied closes the case; not satisfied reopens it for the chair. Once: a second
    tap finds the case moved on."""
    case = await own_case(session, case_id, member)
    action = CaseAction.SATISFIED if satisfied else CaseAction.UNSATISFIED
    target = table_for(case.kind).check(case.status, action, role)
    changes: dict[str, Any] = {"rating": 1 if satisfied else 0}
    if target == CaseStatus.CLOSED:
        changes["closed_at"] = now
        if case.anonymous:
            changes["reporter_member_id"] = None  # the link existed only to relay; it goes now
    else:
        changes["resolved_at"] = None
    if not await cases.transition(session, case, to=target, **changes):
        raise Refused("action_not_allowed")
    assert case.id is not None
    entry = await cases.add_entry(
        session,
        case_id=case.id,
        actor=CaseActor.REPORTER,
        action=CaseEntryAction.RATED,
        at=now,
        text=SATISFIED if satisfied else NOT_SATISFIED,
    )
    if not satisfied:
        assert entry.id is not None
        case_id, entry_id = case.id, entry.id
        reopened = await tell_chairs(
            session,
            case,
            "case_reopened_chair",
            key=lambda admin: keys.case_to_chair(case_id, entry_id, admin),
            note="",
            config=config,
        )
        await enqueue(session, reopened, now=now)
    return case


async def by_code(session: AsyncSession, code: str) -> Case | None:
    return await cases.by_code(session, code)
