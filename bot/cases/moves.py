"""The cadres' actions on a case: checked against its kind's table whoever asks, applied once
(a compare-and-set on the status, so a double tap acts once), recorded with who and when,
and told to the reporter, the assignee or the chair. Telegram-free; never commits."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.labels import TOLD, to_reporter
from bot.cases.notify import member_lang, open_keyboard, tell_chairs, tell_reporter, to_member
from bot.cases.states import CLOSING, DESK_ACTIONS, WRITTEN, CaseAction, table_for
from bot.category_names import category_label
from bot.config import Config
from bot.core.states import Refused
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, enqueue
from bot.roles import Role
from bot.strings import t
from storage import cases, members
from storage.models import Case, CaseEntry, Member
from storage.statuses import CaseActor, CaseEntryAction, CaseStatus, StoredRole

A = CaseAction
# The step each action records in the case's thread.
RECORDED: dict[CaseAction, CaseEntryAction] = {
    A.ACK: CaseEntryAction.ACK,
    A.PROGRESS: CaseEntryAction.PROGRESS,
    A.STUDY: CaseEntryAction.STUDY,
    A.ADOPT: CaseEntryAction.ADOPT,
    A.RESOLVE: CaseEntryAction.RESOLVE,
    A.APPROVE: CaseEntryAction.APPROVE,
    A.REPLY: CaseEntryAction.REPLY,
    A.ASK: CaseEntryAction.ASK,
    A.ESCALATE: CaseEntryAction.ESCALATE,
    A.REJECT: CaseEntryAction.REJECT,
    A.DECLINE: CaseEntryAction.DECLINE,
    A.ASSIGN: CaseEntryAction.ASSIGN,
    A.PUBLISH: CaseEntryAction.PUBLISH,
    A.VISIT: CaseEntryAction.VISIT,
}
FINISHING = frozenset({CaseStatus.RESOLVED, CaseStatus.APPROVED})


async def allowed(session: AsyncSession, case_id: int, action: CaseAction, role: Role) -> Case:
    """The case, if its kind's table allows `action` from its status to `role`; Refused
    (with the reason) otherwise. The desk takes only the cadres' actions."""
    if action not in DESK_ACTIONS and action != CaseAction.VIEW:
        raise Refused("action_not_allowed")
    case = await cases.get(session, case_id)
    if case is None:
        raise Refused("case_unknown")
    table_for(case.kind).check(case.status, action, role)
    return case


def _changes(
    case: Case, action: CaseAction, to: CaseStatus, actor: Member | None, now: datetime
) -> dict[str, Any]:
    """The columns a move sets besides the status."""
    changes: dict[str, Any] = {}
    if action == CaseAction.ACK:
        if case.acknowledged_at is None:
            changes["acknowledged_at"] = now
        if case.assignee_member_id is None and actor is not None:
            changes["assignee_member_id"] = actor.id  # whoever accepts it, handles it
    if to in FINISHING and to != case.status:
        changes["resolved_at"] = now
    if to in CLOSING and to != case.status:
        changes["closed_at"] = now
        if case.anonymous:
            changes["reporter_member_id"] = None  # the link existed only to relay; it goes now
    return changes


async def record(
    session: AsyncSession,
    case: Case,
    action: CaseAction,
    *,
    actor: Member | None,
    now: datetime,
    text: str = "",
) -> CaseEntry:
    """The step in the case's thread: what, by whom, when."""
    assert case.id is not None
    return await cases.add_entry(
        session,
        case_id=case.id,
        actor=CaseActor.CADRE,
        action=RECORDED[action],
        at=now,
        text=text or None,
        cadre_member_id=actor.id if actor is not None else None,
    )


async def move(
    session: AsyncSession,
    case: Case,
    action: CaseAction,
    *,
    role: Role,
    actor: Member | None,
    now: datetime,
) -> CaseStatus:
    """Apply the table's move once: Refused if it is not allowed, or if the case moved
    since it was read (a second tap, another cadre). Returns the status it left."""
    before = case.status
    target = table_for(case.kind).check(case.status, action, role)
    changes = _changes(case, action, target, actor, now)
    if not await cases.transition(session, case, to=target, **changes):
        raise Refused("action_not_allowed")
    return before


async def act(
    session: AsyncSession,
    case_id: int,
    *,
    action: CaseAction,
    actor: Member | None,
    role: Role,
    now: datetime,
    config: Config,
    text: str = "",
) -> Case:
    """A cadre's action (accept, progress, study, adopt, resolve, approve, reply, ask,
    escalate, reject, decline): checked, applied once, recorded and told."""
    if action not in TOLD:
        raise Refused("action_not_allowed")
    case = await allowed(session, case_id, action, role)
    if action in WRITTEN and not text.strip():
        raise Refused("case_text_needed")
    reporter_id = case.reporter_member_id  # read before a closing move erases it
    await move(session, case, action, role=role, actor=actor, now=now)
    entry = await record(session, case, action, actor=actor, now=now, text=text)
    await enqueue(
        session,
        await _told(
            session, case, action, entry, reporter_id=reporter_id, text=text, config=config
        ),
        now=now,
    )
    return case


async def _told(
    session: AsyncSession,
    case: Case,
    action: CaseAction,
    entry: CaseEntry,
    *,
    reporter_id: int | None,
    text: str,
    config: Config,
) -> list[Outgoing]:
    assert case.id is not None and entry.id is not None
    case_id, entry_id = case.id, entry.id
    messages: list[Outgoing] = []
    if action == CaseAction.ESCALATE:
        messages += await tell_chairs(
            session,
            case,
            "case_escalated_chair",
            key=lambda admin: keys.case_to_chair(case_id, entry_id, admin),
            note=text,
            config=config,
        )
    messages += await tell_reporter(
        session,
        case,
        reporter_id,
        keys.case_to_reporter(case_id, entry_id),
        to_reporter(TOLD[action], case.kind),
        text=text,
    )
    return messages


async def cadres_to_pick(session: AsyncSession, case_id: int, *, role: Role) -> list[Member]:
    """Whom the case may be assigned to (if it may be assigned now)."""
    await allowed(session, case_id, CaseAction.ASSIGN, role)
    return await members.with_role(session, roles=[StoredRole.CADRE])


async def assign(
    session: AsyncSession,
    case_id: int,
    *,
    assignee_id: int,
    actor: Member | None,
    role: Role,
    now: datetime,
) -> Case:
    """Hand the case to a cadre, once, and tell them."""
    case = await allowed(session, case_id, CaseAction.ASSIGN, role)
    assignee = await members.get(session, assignee_id)
    if assignee is None or assignee.role != StoredRole.CADRE or assignee.id is None:
        raise Refused("case_pick_cadre")
    if not await cases.assign(session, case, assignee_id=assignee.id):
        raise Refused("case_already_assigned")
    entry = await record(
        session, case, CaseAction.ASSIGN, actor=actor, now=now, text=html.escape(assignee.name)
    )
    assert case.id is not None and entry.id is not None
    lang = member_lang(assignee)
    category = category_label(case.category, lang)
    note = t(lang, "case_assigned_to_you", id=case.id, category=category)
    if assignee.telegram_id is not None:
        key = keys.case_to_assignee(case.id, entry.id)
        await enqueue(
            session, [to_member(key, assignee, note, open_keyboard(case.id, lang))], now=now
        )
    return case
