"""Generated from the cases' state tables: every (kind, status, action, role) a table does not
allow is tried through a forged callback, and must be refused — the answer says why — with
the database unchanged (the case, its thread, the outbox, the conversations, visits and
co-signatures).

Fast: per kind one harness; per status, the cases are set to it in the database and every
refused press for that status goes in one batch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot.cases.callbacks import AssignPress, DeskPress, RatePress, ReporterAction, ReporterPress
from bot.cases.states import CaseAction, table_for
from bot.core.states import Refused
from bot.emulator import SentMessage
from bot.roles import Role
from bot.suggestions.callbacks import support_press
from storage import cases, members
from storage.models import Case, CaseEntry, Dialog, Outbox, SuggestionSupport, Visit
from storage.statuses import CaseKind, CaseStatus
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
GUEST, MEMBER, CADRE = 96_000, 96_001, 96_002
USERS = {Role.GUEST: GUEST, Role.MEMBER: MEMBER, Role.CADRE: CADRE, Role.ADMIN: ADMIN}
REPORTER_BUTTONS = {CaseAction.ADD, CaseAction.SATISFIED, CaseAction.UNSATISFIED, CaseAction.SIGN}


def refused_combinations(kind: CaseKind, status: CaseStatus) -> list[tuple[CaseAction, Role]]:
    """Every (action, role) the kind's table does not allow from this status."""
    table = table_for(kind)
    return [
        (action, role)
        for action in CaseAction
        for role in USERS
        if not table.allows(status, action, role)
    ]


def forged(action: CaseAction, case_id: int, cadre_id: int) -> list[tuple[str, Role]]:
    """The payloads that ask for `action`, each with the role its button's guard needs."""
    if action == CaseAction.ADD:
        return [(ReporterPress(action=ReporterAction.ADD, case_id=case_id).pack(), Role.MEMBER)]
    if action in (CaseAction.SATISFIED, CaseAction.UNSATISFIED):
        rate = RatePress(case_id=case_id, satisfied=action == CaseAction.SATISFIED)
        return [(rate.pack(), Role.MEMBER)]
    if action == CaseAction.SIGN:
        return [(support_press(case_id).pack(), Role.MEMBER)]
    payloads = [(DeskPress(action=action, case_id=case_id).pack(), Role.CADRE)]
    if action == CaseAction.ASSIGN:  # the cadre picked in the list is a press of its own
        payloads.append((AssignPress(case_id=case_id, cadre_id=cadre_id).pack(), Role.CADRE))
    return payloads


def expected_refusal(
    kind: CaseKind, status: CaseStatus, action: CaseAction, role: Role, guard: Role
) -> str:
    """What the refusal must say: the guard's answer below the button's role, else the table's."""
    if role < guard:
        return "register_first" if role == Role.GUEST and guard == Role.MEMBER else "not_allowed"
    try:
        table_for(kind).check(status, action, role)
    except Refused as refused:
        return refused.key
    raise AssertionError(f"{kind} {status} {action} {role.name} is allowed")


async def _people(h: Harness) -> tuple[dict[Role, SentMessage], dict[Role, int]]:
    """A user of each role, a message in each one's chat to press on, and member ids."""
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, MEMBER, "王小明")
    h.emu.user(GUEST, "路人")
    chats = {role: (await h.send(user, "/help"))[0] for role, user in USERS.items()}
    ids = {}
    async with h.db.read() as session:
        for role in (Role.MEMBER, Role.CADRE, Role.ADMIN):
            member = await members.get_by_telegram_id(session, USERS[role])
            assert member is not None and member.id is not None
            ids[role] = member.id
    return chats, ids


async def _cases(h: Harness, kind: CaseKind, reporters: dict[Role, int]) -> dict[Role, int]:
    """One case of the kind reported by each registered role (so reporter actions are
    tried by their own reporter, and refused by the table, not by ownership)."""
    now = h.clock.now()
    made = {}
    async with h.db.begin() as session:
        for role, member_id in reporters.items():
            case = await cases.add(
                session,
                code=f"R{kind.value[:4].upper()}{role.value}",
                kind=kind,
                category="其他",
                department="一车间",
                text="生成的拒绝测试",
                reporter_member_id=member_id,
                created_at=now,
                ack_due=now + timedelta(days=1),
                resolve_due=now + timedelta(days=7),
            )
            assert case.id is not None
            made[role] = case.id
    return made


async def _snapshot(h: Harness) -> list[Any]:
    async with h.db.read() as session:
        rows: list[Any] = []
        for model in (Case, CaseEntry, Outbox, Dialog, Visit, SuggestionSupport):
            found = (await session.exec(select(model))).all()
            rows.append(sorted(repr(row.model_dump()) for row in found))
    return rows


async def _set_status(h: Harness, case_ids: list[int], status: CaseStatus) -> None:
    async with h.db.begin() as session:
        await session.exec(update(Case).where(Case.id.in_(case_ids)).values(status=status))  # type: ignore[call-overload,union-attr]


@pytest.mark.parametrize("kind", list(CaseKind), ids=lambda kind: kind.value)
async def test_every_move_a_table_does_not_allow_is_refused(
    harness: Harness, kind: CaseKind
) -> None:
    h = harness
    chats, ids = await _people(h)
    own = await _cases(h, kind, ids)
    await h.drain()
    tried = 0
    for status in CaseStatus:
        await _set_status(h, list(own.values()), status)
        before = await _snapshot(h)
        presses = []
        for action, role in refused_combinations(kind, status):
            case_id = own.get(role, own[Role.MEMBER])
            for data, guard in forged(action, case_id, ids[Role.CADRE]):
                pressed = h.emu.press(USERS[role], chats[role], data)
                reason = expected_refusal(kind, status, action, role, guard)
                presses.append((pressed["callback_query"]["id"], reason, (action, role.name, data)))
        sent = len(h.emu.sent)
        await h.settle()
        for query_id, reason, combination in presses:
            answer = h.emu.callback_answers[query_id]
            assert says(answer.get("text") or "", reason), (status, combination, answer)
        assert h.emu.sent[sent:] == [], status  # a refusal sends nothing
        assert await _snapshot(h) == before, status
        tried += len(presses)
    assert tried > 500  # every status, every action, every role
