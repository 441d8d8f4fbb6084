"""Roles through the emulator: admins appoint cadres, cadres bind groups, others cannot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.members.callbacks import CadreAction, CadrePress
from storage import groups, members
from storage.models import GroupChat, RoleChange
from storage.statuses import StoredRole
from tests.e2e.catalogue import label, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WORKER = 20_001, 20_002
CADRE_SCOPE = ('{"chat_id": 20001, "type": "chat"}', "")


async def _appoint_cadre(h: Harness) -> None:
    await register(h, CADRE, "陈主席", username="chen_cadre")
    h.emu.user(ADMIN, "管理员")
    [reply] = [m for m in await h.send(ADMIN, "/cadre add @chen_cadre") if m.chat_id == ADMIN]
    assert says(reply, "cadre_added", name="陈主席")
    await h.drain()  # the note to the new cadre


async def _group_with_bot(h: Harness, title: str) -> int:
    group = h.emu.group(title, members=[CADRE, WORKER])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    return group


async def _audit(h: Harness) -> list[tuple[int, StoredRole]]:
    async with h.db.read() as session:
        rows = (await session.exec(select(RoleChange).order_by(col(RoleChange.id)))).all()
    return [(row.actor_telegram_id, row.role) for row in rows]


async def test_admin_appoints_and_removes_a_cadre_with_an_audit(harness: Harness) -> None:
    h = harness
    await _appoint_cadre(h)
    assert "notice" in [c["command"] for c in h.emu.commands[CADRE_SCOPE]]
    [again] = await h.send(ADMIN, "/cadre add @chen_cadre")
    assert says(again, "cadre_unchanged", name="陈主席")
    [listing] = await h.send(ADMIN, "/cadre")
    assert says(listing, "cadre_line", name="陈主席", department="一车间")
    # Two taps in flight on 「撤销」: one removes (one audit row), the other is told so.
    remove = label("btn_cadre_remove", name="陈主席")
    _, answers = await h.double_press(ADMIN, listing, remove)
    assert says(h.current(listing), "cadre_none")
    assert says(answers[1]["text"], "cadre_not_a_cadre")
    assert CADRE_SCOPE not in h.emu.commands  # the wider menu is taken back
    assert await _audit(h) == [(ADMIN, StoredRole.CADRE), (ADMIN, StoredRole.MEMBER)]
    [unknown] = await h.send(ADMIN, "/cadre add @nobody_here")
    assert says(unknown, "cadre_not_found", handle="@nobody_here")
    [usage] = await h.send(ADMIN, "/cadre promote x")
    assert says(usage, "cadre_usage")
    h.clock.advance(timedelta(minutes=5))
    [again] = [  # a deliberate reappointment
        m for m in await h.send(ADMIN, "/cadre add @chen_cadre") if m.chat_id == ADMIN
    ]
    assert says(again, "cadre_added", name="陈主席") and len(await _audit(h)) == 3
    await h.drain()
    # Each change was told to the member, once (two taps on 「撤销」 told them once).
    told = [m for m in h.emu.chat_messages(CADRE) if says(m, "cadre_told_added")]
    removed = [m for m in h.emu.chat_messages(CADRE) if says(m, "cadre_told_removed")]
    assert (len(told), len(removed)) == (2, 1)


async def test_a_member_cannot_use_cadre_or_admin_commands_or_buttons(harness: Harness) -> None:
    h = harness
    await _appoint_cadre(h)
    await register(h, WORKER, "王小明")
    group = await _group_with_bot(h, "一车间群")
    [refused] = await h.send(WORKER, "/cadre add @chen_cadre")
    assert says(refused, "admin_only")
    [refused] = await h.send(WORKER, "/groups")
    assert says(refused, "not_allowed")
    [refused] = await h.send(WORKER, "/bindgroup", chat_id=group)
    assert says(refused, "not_allowed")
    # Anyone in the group can press the cadre's department buttons: the worker's press is refused.
    [choose] = await h.send(CADRE, "/bindgroup", chat_id=group)
    sent, answer = await h.press_label(WORKER, choose, "二车间")
    assert sent == [] and answer["show_alert"] and says(answer["text"], "not_allowed")
    # Forged callback data for an admin-only action.
    async with h.db.read() as session:
        cadre = await members.get_by_telegram_id(session, CADRE)
    assert cadre is not None and cadre.id is not None
    private = (await h.send(WORKER, "/me"))[0]
    forged = CadrePress(action=CadreAction.REMOVE, member_id=cadre.id).pack()
    sent, answer = await h.press(WORKER, private, forged)
    assert sent == [] and says(answer["text"], "admin_only")
    async with h.db.read() as session:
        cadre = await members.get_by_telegram_id(session, CADRE)
        bound = await groups.get(session, group)
    assert cadre is not None and cadre.role == StoredRole.CADRE
    assert bound is not None and bound.department is None


async def test_a_guest_is_asked_to_register(harness: Harness) -> None:
    h = harness
    h.emu.user(WORKER, "路人")
    [reply] = await h.send(WORKER, "/me")
    assert says(reply, "register_first")
    [reply] = await h.send(WORKER, "/forget")
    assert says(reply, "register_first")


async def test_cadre_binds_a_group_and_the_binding_survives_a_supergroup_migration(
    harness: Harness,
) -> None:
    h = harness
    await _appoint_cadre(h)
    group = h.emu.group("一车间群", members=[CADRE])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    assert says(h.emu.last(group), "group_hello")  # the bot introduced itself
    [choose] = await h.send(CADRE, "/bindgroup", chat_id=group)
    assert says(choose, "bind_choose")
    await h.press_label(CADRE, choose, "一车间")
    assert says(h.current(choose), "bind_done", department="一车间")
    new_id = h.emu.migrate_group(group, CADRE)
    await h.settle()
    async with h.db.read() as session:
        assert await groups.get(session, group) is None
        moved = await groups.get(session, new_id)
    assert moved is not None and moved.department == "一车间"
    [listing] = await h.send(CADRE, "/groups")
    assert says(listing, "groups_line", title="一车间群", department="一车间")
    [done] = await h.send(CADRE, "/unbindgroup", chat_id=new_id)
    assert says(done, "unbind_done")
    [unknown] = await h.send(CADRE, "/bindgroup 五车间", chat_id=new_id)
    assert says(unknown, "bind_unknown", name="五车间")
    [bound] = await h.send(CADRE, "/bindgroup 质检部", chat_id=new_id)
    assert says(bound, "bind_done", department="质检部")


async def test_the_bot_tracks_being_removed_from_a_group(harness: Harness) -> None:
    h = harness
    await _appoint_cadre(h)
    group = await _group_with_bot(h, "二车间群")
    await h.send(CADRE, "/bindgroup 二车间", chat_id=group)
    h.emu.remove_bot_from_group(group, CADRE)
    await h.settle()
    async with h.db.read() as session:
        row = (await session.exec(select(GroupChat))).one()
        assert await groups.bound(session) == []
    assert row.bot_status == "kicked"


async def test_bindgroup_in_private_says_where_to_use_it(harness: Harness) -> None:
    h = harness
    await _appoint_cadre(h)
    [reply] = await h.send(CADRE, "/bindgroup")
    assert says(reply, "group_only")
