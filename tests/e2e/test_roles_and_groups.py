"""Roles through the emulator: admins appoint cadres, cadres bind groups, others cannot."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage import groups, members
from storage.models import GroupChat, RoleChange
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WORKER = 20_001, 20_002


async def _appoint_cadre(h: Harness) -> None:
    await register(h, CADRE, "陈主席", username="chen_cadre")
    h.emu.user(ADMIN, "管理员")
    [reply] = await h.send(ADMIN, "/cadre add @chen_cadre")
    assert "已任命 陈主席" in reply.text


async def _group_with_bot(h: Harness, title: str) -> int:
    group = h.emu.group(title, members=[CADRE, WORKER])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    return group


async def test_admin_appoints_and_removes_a_cadre_with_an_audit(harness: Harness) -> None:
    h = harness
    await _appoint_cadre(h)
    cadre_scope = ('{"chat_id": 20001, "type": "chat"}', "")
    assert "groups" in [c["command"] for c in h.emu.commands[cadre_scope]]
    [listing] = await h.send(ADMIN, "/cadre")
    assert "陈主席" in listing.text
    _, _answer = await h.press_label(ADMIN, listing, "撤销")
    assert "陈主席" not in h.current(listing).text
    assert cadre_scope not in h.emu.commands  # the wider menu is taken back
    async with h.db.read() as session:
        audit = (await session.exec(select(RoleChange).order_by(RoleChange.id))).all()  # type: ignore[arg-type]
    assert [(a.actor_telegram_id, a.role) for a in audit] == [(ADMIN, "cadre"), (ADMIN, "member")]
    [unknown] = await h.send(ADMIN, "/cadre add @nobody_here")
    assert "没有找到已注册的会员" in unknown.text
    [usage] = await h.send(ADMIN, "/cadre promote x")
    assert "/cadre add" in usage.text


async def test_a_member_cannot_use_cadre_or_admin_commands_or_buttons(harness: Harness) -> None:
    h = harness
    await _appoint_cadre(h)
    await register(h, WORKER, "王小明")
    group = await _group_with_bot(h, "一车间群")
    [refused] = await h.send(WORKER, "/cadre add @chen_cadre")
    assert "只有管理员" in refused.text
    [refused] = await h.send(WORKER, "/groups")
    assert "只有工会干部或管理员" in refused.text
    [refused] = await h.send(WORKER, "/bindgroup", chat_id=group)
    assert "只有工会干部或管理员" in refused.text
    # Anyone in the group can press the cadre's department buttons: the worker's press is refused.
    [choose] = await h.send(CADRE, "/bindgroup", chat_id=group)
    sent, answer = await h.press(WORKER, choose, "grp:bind:1")
    assert sent == [] and answer["show_alert"] and "只有工会干部" in answer["text"]
    # Forged callback data for an admin-only action.
    async with h.db.read() as session:
        cadre = await members.get_by_telegram_id(session, CADRE)
    assert cadre is not None
    private = (await h.send(WORKER, "/me"))[0]
    sent, answer = await h.press(WORKER, private, f"cadre:rm:{cadre.id}")
    assert sent == [] and "只有管理员" in answer["text"]
    async with h.db.read() as session:
        cadre = await members.get_by_telegram_id(session, CADRE)
        bound = await groups.get(session, group)
    assert cadre is not None and cadre.role == "cadre"
    assert bound is not None and bound.department is None


async def test_a_guest_is_asked_to_register(harness: Harness) -> None:
    h = harness
    h.emu.user(WORKER, "路人")
    [reply] = await h.send(WORKER, "/me")
    assert "/start" in reply.text
    [reply] = await h.send(WORKER, "/forget")
    assert "/start" in reply.text


async def test_cadre_binds_a_group_and_the_binding_survives_a_supergroup_migration(
    harness: Harness,
) -> None:
    h = harness
    await _appoint_cadre(h)
    group = h.emu.group("一车间群", members=[CADRE])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    assert "/bindgroup" in h.emu.last(group).text  # the bot introduced itself
    [choose] = await h.send(CADRE, "/bindgroup", chat_id=group)
    _, _answer = await h.press_label(CADRE, choose, "一车间")
    assert "本群已绑定到「一车间」" in h.current(choose).text
    new_id = h.emu.migrate_group(group, CADRE)
    await h.settle()
    async with h.db.read() as session:
        assert await groups.get(session, group) is None
        moved = await groups.get(session, new_id)
    assert moved is not None and moved.department == "一车间"
    [listing] = await h.send(CADRE, "/groups")
    assert "一车间群 → 一车间" in listing.text
    [done] = await h.send(CADRE, "/unbindgroup", chat_id=new_id)
    assert "解除" in done.text
    [unknown] = await h.send(CADRE, "/bindgroup 五车间", chat_id=new_id)
    assert "没有叫「五车间」的部门" in unknown.text
    [bound] = await h.send(CADRE, "/bindgroup 质检部", chat_id=new_id)
    assert "质检部" in bound.text


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
    assert "车间群里" in reply.text
