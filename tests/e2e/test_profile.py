"""/me edits, /forget, /help and the published command menus."""

from __future__ import annotations

import pytest

from storage import members
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
WANG = 30_001


async def test_me_shows_and_edits_one_field(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明", birthday="1995-08-15")
    [profile] = await h.send(WANG, "/me")
    assert "王小明" in profile.text and "1995年8月15日" in profile.text
    [ask], _ = await h.press(WANG, profile, "me:edit:bday")
    assert "/cancel" in ask.text
    [bad] = await h.send(WANG, "农历十三月")
    assert "农历只有正月到腊月" in bad.text
    [saved] = await h.send(WANG, "农历腊月初八")
    assert "已保存" in saved.text and "农历腊月初八" in saved.text
    [ask], _ = await h.press(WANG, saved, "me:edit:lang")
    [saved], _ = await h.press(WANG, ask, "pf:lang:en")
    assert "Saved" in saved.text and "lunar month 12, day 8" in saved.text
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, WANG)
    assert member is not None and member.language == "en" and member.bday_kind == "lunar"
    assert member.bday_year is None  # the new birthday has no year


async def test_cancel_an_edit_keeps_the_profile(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [profile] = await h.send(WANG, "/me")
    await h.press(WANG, profile, "me:edit:name")
    [cancelled] = await h.send(WANG, "/cancel")
    assert "资料没有改动" in cancelled.text
    [idle] = await h.send(WANG, "李四")
    assert "/help" in idle.text


async def test_forget_erases_after_confirmation(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [ask] = await h.send(WANG, "/forget")
    _, _ = await h.press(WANG, ask, "me:forget:no")
    assert "保留" in h.current(ask).text
    async with h.db.read() as session:
        assert await members.get_by_telegram_id(session, WANG) is not None
    [ask] = await h.send(WANG, "/forget")
    await h.press(WANG, ask, "me:forget:yes")
    assert "全部删除" in h.current(ask).text
    async with h.db.read() as session:
        assert await members.get_by_telegram_id(session, WANG) is None
    sent, answer = await h.press(WANG, ask, "me:forget:yes")  # pressing again: nothing to erase
    assert sent == [] and "/start" in answer["text"]
    [reply] = await h.send(WANG, "/me")
    assert "/start" in reply.text


async def test_help_lists_what_each_role_may_do(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    [guest] = await h.send(WANG, "/help")
    assert "/start" in guest.text and "/cadre" not in guest.text
    await register(h, WANG, "王小明")
    [member] = await h.send(WANG, "/help")
    assert "/me" in member.text and "/groups" not in member.text and "/cadre" not in member.text
    h.emu.user(ADMIN, "管理员", language_code="en")
    [admin] = await h.send(ADMIN, "/help")
    assert "/cadre" in admin.text and "/groups" in admin.text and "admin" in admin.text


async def test_command_menus_are_published_per_scope_and_language(harness: Harness) -> None:
    commands = harness.emu.commands
    private_zh = commands[('{"type": "all_private_chats"}', "")]
    private_en = commands[('{"type": "all_private_chats"}', "en")]
    groups_zh = commands[('{"type": "all_group_chats"}', "")]
    names = [c["command"] for c in private_zh]
    assert names == [
        "ask",
        "report",
        "suggest",
        "lifeevent",
        "hardship",
        "mycases",
        "activities",
        "votes",
        "voteresults",
        "me",
        "birthday",
        "quiet",
        "help",
        "cancel",
        "forget",
    ]
    assert private_zh[9]["description"] == "查看和修改我的资料"
    assert private_en[9]["description"] == "See and change my profile"
    assert [c["command"] for c in groups_zh] == ["help", "bindgroup", "unbindgroup"]
