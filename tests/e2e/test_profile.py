"""/me edits, /forget, /help and the published command menus."""

from __future__ import annotations

import pytest

from storage import members
from tests.e2e.catalogue import label, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
WANG = 30_001


async def test_me_shows_and_edits_one_field(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明", birthday="1995-08-15")
    [profile] = await h.send(WANG, "/me")
    assert says(profile, "profile_title")
    assert says(profile, "profile_summary", name="王小明", birthday="1995年8月15日")
    [ask], _ = await h.press_key(WANG, profile, "btn_edit_bday")
    assert says(ask, "ask_birthday") and says(ask, "cancel_hint_edit")
    [bad] = await h.send(WANG, "农历十三月")
    assert says(bad, "bday_bad_lunar_month")
    [saved] = await h.send(WANG, "农历腊月初八")
    assert says(saved, "profile_saved") and says(saved, "profile_summary", birthday="农历腊月初八")
    [ask], _ = await h.press_key(WANG, saved, "btn_edit_lang")
    [saved], answers = await h.double_press(WANG, ask, "English")  # saved and said once
    assert says(saved, "profile_saved", "en") and says(answers[1]["text"], "button_expired", "en")
    assert says(saved, "profile_summary", "en", birthday="lunar month 12, day 8")
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, WANG)
    assert member is not None and member.language == "en" and member.bday_kind == "lunar"
    assert member.bday_year is None  # the new birthday has no year
    # The edit is over: its old buttons have expired.
    _, stale = await h.press_label(WANG, ask, "中文")
    assert says(stale["text"], "button_expired", "en")


async def test_skipping_the_birthday_in_an_edit_clears_it(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明", birthday="1995-08-15", share=True)
    [profile] = await h.send(WANG, "/me")
    [ask], _ = await h.press_key(WANG, profile, "btn_edit_bday")
    [saved], _ = await h.press_key(WANG, ask, "btn_skip_birthday")
    assert says(saved, "profile_summary", birthday=label("word_not_given"))
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, WANG)
    assert member is not None and member.bday_kind is None and member.share_birthday is False


async def test_cancel_an_edit_keeps_the_profile(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [profile] = await h.send(WANG, "/me")
    await h.press_key(WANG, profile, "btn_edit_name")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_profile_edit")
    [question] = await h.send(WANG, "李四")  # no longer a name: a question to the bot
    assert says(question, "kb_not_rights")  # (not a rights question either)
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, WANG)
    assert member is not None and member.name == "王小明"


async def test_forget_erases_after_confirmation(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [ask] = await h.send(WANG, "/forget")
    await h.press_key(WANG, ask, "btn_forget_no")
    assert says(h.current(ask), "forget_kept")
    async with h.db.read() as session:
        assert await members.get_by_telegram_id(session, WANG) is not None
    [profile] = await h.send(WANG, "/me")
    [ask], _ = await h.press_key(WANG, profile, "btn_forget")
    assert says(ask, "forget_confirm")
    # Two taps in flight: one erases and says so, the other is told there is nothing left.
    sent, answers = await h.double_press(WANG, ask, label("btn_forget_yes"))
    assert sent == [] and says(h.current(ask), "forget_done") and h.current(ask).edits == 1
    assert says(answers[1]["text"], "register_first")
    async with h.db.read() as session:
        assert await members.get_by_telegram_id(session, WANG) is None
    [reply] = await h.send(WANG, "/me")
    assert says(reply, "register_first")


async def test_help_lists_what_each_role_may_do(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    [guest] = await h.send(WANG, "/help")
    assert says(guest, "help_guest") and "/start" in guest.text and "/cadre" not in guest.text
    await register(h, WANG, "王小明")
    [member] = await h.send(WANG, "/help")
    assert says(member, "help_member")
    assert "/me" in member.text and "/groups" not in member.text and "/cadre" not in member.text
    h.emu.user(ADMIN, "管理员", language_code="en")
    [admin] = await h.send(ADMIN, "/help")
    assert says(admin, "help_admin", "en") and "/cadre" in admin.text and "/groups" in admin.text


async def test_command_menus_are_published_per_scope_and_language(harness: Harness) -> None:
    commands = harness.emu.commands
    private_zh = commands[('{"type": "all_private_chats"}', "")]
    private_en = commands[('{"type": "all_private_chats"}', "en")]
    groups_zh = commands[('{"type": "all_group_chats"}', "")]
    names = [c["command"] for c in private_zh]
    # Short: only what members use most (the rest is in /help).
    assert names == ["ask", "report", "activities", "mycases", "me", "help", "cancel"]
    assert private_zh[4]["description"] == label("cmd_me")
    assert private_en[4]["description"] == label("cmd_me", "en")
    assert [c["command"] for c in groups_zh] == ["help", "open", "bindgroup", "unbindgroup"]


async def test_a_command_the_bot_does_not_have_is_answered_in_private_only(
    harness: Harness,
) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    [welcome] = await h.send(WANG, "/start")
    assert says(welcome, "ask_name")
    [unknown] = await h.send(WANG, "/fooo")  # in the middle of registering
    assert says(unknown, "unknown_command", name="fooo")
    [department] = await h.send(WANG, "王小明")  # the registration goes on
    assert says(department, "ask_department")
    group = h.emu.group("一车间群", members=[WANG])
    h.emu.add_bot_to_group(group, WANG)
    await h.settle()
    assert await h.send(WANG, "/fooo", chat_id=group) == []  # maybe another bot's
