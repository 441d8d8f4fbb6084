"""Generated from the notice state table: every (status, action, role) the table does not
allow, pressed as a forged button, is refused and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bot.core.callbacks import CallbackData
from bot.notices.callbacks import (
    AckPress,
    ReceiptAction,
    ReceiptPress,
    ScheduledAction,
    ScheduledPress,
)
from bot.notices.states import NOTICE_STATES, NoticeAction
from bot.roles import Role
from storage import members, notices
from storage.models import Dialog, Notice, NoticeConfirmation, Outbox
from storage.statuses import NoticeStatus, NoticeTarget, NoticeWay, StoredRole
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
GUEST, MEMBER, CADRE = 41_001, 41_002, 41_003
USERS = {Role.GUEST: GUEST, Role.MEMBER: MEMBER, Role.CADRE: CADRE, Role.ADMIN: ADMIN}
REFUSALS = (
    "register_first",
    "not_allowed",
    "admin_only",
    "action_not_allowed",
    "button_expired",
    "scheduled_gone",
    "ack_closed",
    "reminders_already_sent",
    "reminders_too_soon",
)


def _press(action: NoticeAction, notice_id: int) -> CallbackData | None:
    """The button that asks for this action (None: only the minute tick releases)."""
    return {
        NoticeAction.CANCEL: ScheduledPress(action=ScheduledAction.CANCEL, notice_id=notice_id),
        NoticeAction.RESCHEDULE: ScheduledPress(action=ScheduledAction.TIME, notice_id=notice_id),
        NoticeAction.REWRITE: ScheduledPress(action=ScheduledAction.TEXT, notice_id=notice_id),
        NoticeAction.CONFIRM: AckPress(notice_id=notice_id),
        NoticeAction.REMIND: ReceiptPress(action=ReceiptAction.REMIND, notice_id=notice_id),
    }.get(action)


async def _snapshot(h: Harness, notice_id: int) -> tuple[Any, ...]:
    async with h.db.read() as session:
        notice = await notices.get(session, notice_id)
        assert notice is not None
        confirmations = (await session.exec(select(NoticeConfirmation))).all()
        rows = (await session.exec(select(Outbox.key))).all()
        dialogs = (await session.exec(select(Dialog.user_id))).all()
    state = (notice.status, notice.scheduled_at, notice.text, notice.reminders_sent)
    return state, len(confirmations), sorted(rows), sorted(dialogs)


async def test_every_move_the_notice_table_does_not_allow_is_refused(harness: Harness) -> None:
    h = harness
    await register(h, ADMIN, "周主席")
    await register(h, MEMBER, "王小明")
    await register(h, CADRE, "陈干事", username="chen")
    await appoint(h, "@chen")
    h.emu.user(GUEST, "游客")
    where = {user: (await h.send(user, "/help"))[0] for user in USERS.values()}
    async with h.db.begin() as session:
        notice = Notice(
            author_telegram_id=CADRE,
            text="周五停电检修",
            target=NoticeTarget.MEMBERS,
            require_ack=True,
            status=NoticeStatus.SCHEDULED,
            scheduled_at=h.clock.now(),
            created_at=h.clock.now(),
        )
        await notices.save(session, notice)
        member = await members.get_by_telegram_id(session, MEMBER)
        assert member is not None and notice.id is not None
        assert member.id is not None
        reached = [(member.id, member.department, NoticeWay.PRIVATE)]
        await notices.add_audience(session, notice_id=notice.id, reached=reached)
        cadre = await members.get_by_telegram_id(session, CADRE)
        assert cadre is not None and cadre.role == StoredRole.CADRE
    tried = 0
    for status in NoticeStatus:
        async with h.db.begin() as session:
            notice = await notices.get(session, notice.id)
            assert notice is not None
            notice.status = status
            await notices.save(session, notice)
        for action in NoticeAction:
            press = _press(action, notice.id)
            for role, user in USERS.items():
                if press is None or NOTICE_STATES.allows(status, action, role):
                    continue
                before = await _snapshot(h, notice.id)
                sent, answer = await h.press(user, where[user], press.pack())
                text = answer.get("text") or ""
                assert any(says(text, key) for key in REFUSALS), (status, action, role, text)
                assert sent == [], (status, action, role)
                assert await _snapshot(h, notice.id) == before, (status, action, role)
                tried += 1
    assert tried >= 50
