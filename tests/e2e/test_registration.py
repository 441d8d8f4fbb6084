"""Registration through the emulator: solar and lunar birthdays, bad input, restarts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage import dialogs, members
from storage.models import Member
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
WANG = 10_001


async def _member(h: Harness, telegram_id: int) -> Member | None:
    async with h.db.read() as session:
        return await members.get_by_telegram_id(session, telegram_id)


async def test_register_with_a_solar_birthday(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王", username="xiaowang")
    [welcome] = await h.send(WANG, "/start")
    assert "东风机械厂工会" in welcome.text and "姓名" in welcome.text
    [ask_dept] = await h.send(WANG, "王小明")
    assert [label for label, _ in ask_dept.buttons()] == ["一车间", "二车间", "质检部"]
    [ask_bday], answer = await h.press_label(WANG, ask_dept, "二车间")
    assert answer["answered"] and "生日" in ask_bday.text
    [ask_share] = await h.send(WANG, "1995-08-15")
    [ask_year], _ = await h.press(WANG, ask_share, "pf:share:1")
    [ask_lang], _ = await h.press(WANG, ask_year, "pf:year:0")
    [confirm], _ = await h.press(WANG, ask_lang, "pf:lang:zh")
    assert "王小明" in confirm.text and "1995年8月15日" in confirm.text and "二车间" in confirm.text
    [done], _ = await h.press(WANG, confirm, "pf:ok:1")
    assert "登记完成" in done.text
    assert h.current(confirm).buttons() == []  # the confirm buttons are gone
    member = await _member(h, WANG)
    assert member is not None and member.registered_at is not None
    assert (member.name, member.department, member.username) == ("王小明", "二车间", "xiaowang")
    assert (member.bday_kind, member.bday_year, member.bday_month, member.bday_day) == (
        "solar",
        1995,
        8,
        15,
    )
    assert member.share_birthday is True and member.hide_year is False
    [back] = await h.send(WANG, "/start")
    assert "欢迎回来" in back.text


async def test_register_with_a_lunar_leap_month_birthday_in_english(harness: Harness) -> None:
    h = harness
    await register(
        h,
        10_002,
        "Li Hua",
        birthday="农历闰六月初十",
        share=False,
        language="English",
        language_code="en-GB",
    )
    member = await _member(h, 10_002)
    assert member is not None
    assert (member.bday_kind, member.bday_month, member.bday_day, member.bday_leap) == (
        "lunar",
        6,
        10,
        True,
    )
    assert member.bday_year is None and member.share_birthday is False and member.language == "en"
    [profile] = await h.send(10_002, "/me")
    assert "lunar leap month 6, day 10" in profile.text and "Name: Li Hua" in profile.text


@pytest.mark.parametrize(
    ("send", "hint"),
    [
        ("2月30日", "2 月只有 29 天"),
        ("农历十三月", "农历只有正月到腊月"),
        ("abc", "没看懂这个日期"),
        ("   ", "请输入生日"),
        (None, "请用文字回答"),
    ],
)
async def test_bad_birthdays_get_a_hint_and_keep_the_conversation(
    harness: Harness, send: str | None, hint: str
) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    await h.send(WANG, "王小明")
    await h.press(WANG, h.emu.last(WANG), "pf:dept:0")
    replies = await (h.sticker(WANG) if send is None else h.send(WANG, send))
    assert len(replies) == 1 and hint in replies[0].text
    assert "农历八月十五" in replies[0].text  # the question is asked again with examples
    async with h.db.read() as session:
        dialog = await dialogs.get(session, WANG)
    assert (
        dialog is not None
        and dialog.data["name"] == "王小明"
        and dialog.data["department"] == "一车间"
    )
    [next_question] = await h.send(WANG, "农历八月十五")
    assert "群里" in next_question.text


async def test_a_restart_mid_registration_resumes_it(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    await h.send(WANG, "王小明")
    ask_dept = h.emu.last(WANG)
    await h.restart()
    [ask_bday], _ = await h.press(WANG, ask_dept, "pf:dept:2")
    assert "生日" in ask_bday.text
    await h.restart()
    [again] = await h.send(WANG, "/start")  # /start resumes the same step, nothing is lost
    assert "生日" in again.text
    [ask_share] = await h.send(WANG, "8月1日")
    assert "群里" in ask_share.text
    await h.press(WANG, ask_share, "pf:share:0")
    await h.press(WANG, h.emu.last(WANG), "pf:lang:zh")
    await h.press(WANG, h.emu.last(WANG), "pf:ok:1")
    member = await _member(h, WANG)
    assert member is not None and member.department == "质检部" and member.bday_month == 8


async def test_stale_and_forged_form_buttons_change_nothing(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    ask_dept = (await h.send(WANG, "王小明"))[0]
    await h.press(WANG, ask_dept, "pf:dept:0")
    sent, answer = await h.press(WANG, ask_dept, "pf:dept:1")  # an old keyboard
    assert sent == [] and answer["show_alert"] and "失效" in answer["text"]
    sent, answer = await h.press(WANG, ask_dept, "pf:ok:1")  # forged: confirm before the end
    assert sent == [] and "失效" in answer["text"]
    sent, answer = await h.press(WANG, ask_dept, "pf:dept:99")
    assert sent == [] and "失效" in answer["text"]
    assert await _member(h, WANG) is None


async def test_cancel_leaves_registration_without_saving(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    await h.send(WANG, "王小明")
    [cancelled] = await h.send(WANG, "/cancel")
    assert "已取消注册" in cancelled.text
    [nothing] = await h.send(WANG, "/cancel")
    assert "没有进行中的操作" in nothing.text
    [hint] = await h.send(WANG, "你好")
    assert "/start" in hint.text
    async with h.db.read() as session:
        assert (await session.exec(select(Member))).all() == []


async def test_a_roster_member_only_confirms_their_details(harness: Harness) -> None:
    h = harness
    async with h.db.begin() as session:
        await members.add(
            session,
            now=h.clock.now(),
            username="ZhaoLiu",
            name="赵六",
            department="二车间",
            bday_kind="lunar",
            bday_month=8,
            bday_day=15,
        )
    h.emu.user(10_003, "六", username="zhaoliu")
    [confirm] = await h.send(10_003, "/start")
    assert "名册" in confirm.text and "赵六" in confirm.text and "农历八月十五" in confirm.text
    [ask_name], _ = await h.press(10_003, confirm, "pf:redo:1")  # starting over asks everything
    assert "姓名" in ask_name.text
    await h.send(10_003, "赵六")
    await h.press(10_003, h.emu.last(10_003), "pf:dept:1")
    [ask_birthday] = await h.send(10_003, "2月30日")
    assert "29 天" in ask_birthday.text
    await h.send(10_003, "农历八月十六")
    await h.press(10_003, h.emu.last(10_003), "pf:share:0")
    await h.press(10_003, h.emu.last(10_003), "pf:lang:zh")
    confirm = h.emu.last(10_003)
    assert "农历八月十六" in confirm.text
    await h.press(10_003, confirm, "pf:ok:1")
    async with h.db.read() as session:
        rows = (await session.exec(select(Member))).all()
    assert len(rows) == 1 and rows[0].telegram_id == 10_003 and rows[0].registered_at is not None


async def test_a_roster_row_with_an_old_department_asks_for_it(harness: Harness) -> None:
    h = harness
    async with h.db.begin() as session:
        await members.add(
            session, now=h.clock.now(), telegram_id=10_004, name="周八", department="已撤销车间"
        )
    h.emu.user(10_004, "Zhou", language_code="en")
    [ask] = await h.send(10_004, "/start")
    assert "roster" in ask.text and "department" in ask.text  # in English, and asks again
    await h.press(10_004, ask, "pf:dept:1")
    [confirm] = h.emu.chat_messages(10_004)[-1:]
    assert "二车间" in confirm.text and "Language: English" in confirm.text


async def test_start_in_a_group_links_to_the_private_chat(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    group = h.emu.group("一车间群", members=[WANG])
    h.emu.add_bot_to_group(group, WANG)
    await h.settle()
    [link] = await h.send(WANG, "/start@unionbridge_bot", chat_id=group)
    assert link.chat_id == group and "私聊" in link.text
    assert "https://t.me/unionbridge_bot?start=" in link.html
    [link] = await h.send(WANG, "/me", chat_id=group)
    assert "私聊" in link.text
