"""Registration through the emulator: solar and lunar birthdays, bad input, restarts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.members.callbacks import ConfirmPress, DepartmentChoice
from bot.members.profile_form import REGISTRATION
from storage import members
from storage.models import Member
from tests.e2e.catalogue import label, said, says
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
WANG = 10_001
UNION = "东风机械厂工会"


async def _member(h: Harness, telegram_id: int) -> Member | None:
    async with h.db.read() as session:
        return await members.get_by_telegram_id(session, telegram_id)


async def _everyone(h: Harness) -> list[Member]:
    async with h.db.read() as session:
        return list((await session.exec(select(Member))).all())


async def test_register_with_a_solar_birthday(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王", username="xiaowang")
    [welcome] = await h.send(WANG, "/start")
    assert says(welcome, "welcome_new", union=UNION) and says(welcome, "ask_name")
    [ask_dept] = await h.send(WANG, "王小明")
    assert [text for text, _ in ask_dept.buttons()] == ["一车间", "二车间", "质检部"]
    [ask_bday], answer = await h.press_label(WANG, ask_dept, "二车间")
    assert answer["answered"] and says(ask_bday, "ask_birthday")
    [ask_share] = await h.send(WANG, "1995-08-15")
    [ask_year], _ = await h.press_key(WANG, ask_share, "btn_share_yes")
    [ask_lang], _ = await h.press_key(WANG, ask_year, "btn_show_age")
    [confirm], _ = await h.press_label(WANG, ask_lang, "中文")
    assert says(
        confirm, "profile_summary", name="王小明", department="二车间", birthday="1995年8月15日"
    )
    [done], _ = await h.press_key(WANG, confirm, "btn_confirm")
    assert says(done, "registered", name="王小明")
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
    assert says(back, "welcome_back", name="王小明")


async def test_two_taps_on_confirm_register_once(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    await h.send(WANG, "王小明")
    await h.press_label(WANG, h.emu.last(WANG), "一车间")
    await h.press_key(WANG, h.emu.last(WANG), "btn_skip_birthday")
    [confirm], _ = await h.press_label(WANG, h.emu.last(WANG), "中文")
    sent, answers = await h.double_press(WANG, confirm, label("btn_confirm"))
    assert [says(m, "registered") for m in sent] == [True]
    assert says(answers[1]["text"], "button_expired")
    assert [m.name for m in await _everyone(h)] == ["王小明"]


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
    assert says(
        profile, "profile_summary", "en", name="Li Hua", birthday="lunar leap month 6, day 10"
    )


@pytest.mark.parametrize(
    ("send", "hint"),
    [
        ("2月30日", "bday_bad_day"),
        ("农历十三月", "bday_bad_lunar_month"),
        ("abc", "bday_bad_format"),
        ("   ", "bday_empty"),
        (None, "text_expected"),
    ],
)
async def test_bad_birthdays_get_a_hint_and_keep_the_conversation(
    harness: Harness, send: str | None, hint: str
) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    await h.send(WANG, "王小明")
    await h.press_label(WANG, h.emu.last(WANG), "一车间")
    replies = await (h.sticker(WANG) if send is None else h.send(WANG, send))
    assert len(replies) == 1 and says(replies[0], hint)
    assert says(replies[0], "ask_birthday")  # the question is asked again with examples
    async with h.db.read() as session:
        state = await REGISTRATION.load(session, WANG)
    assert state is not None
    assert (state.data.name, state.data.department) == ("王小明", "一车间")
    [next_question] = await h.send(WANG, "农历八月十五")
    assert says(next_question, "ask_share")


async def test_a_restart_mid_registration_resumes_it(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    await h.send(WANG, "王小明")
    ask_dept = h.emu.last(WANG)
    await h.restart()
    [ask_bday], _ = await h.press_label(WANG, ask_dept, "质检部")
    assert says(ask_bday, "ask_birthday")
    await h.restart()
    [again] = await h.send(WANG, "/start")  # /start resumes the same step, nothing is lost
    assert says(again, "ask_birthday")
    [ask_share] = await h.send(WANG, "8月1日")
    assert says(ask_share, "ask_share")
    await h.press_key(WANG, ask_share, "btn_share_no")
    await h.press_label(WANG, h.emu.last(WANG), "中文")
    await h.press_key(WANG, h.emu.last(WANG), "btn_confirm")
    member = await _member(h, WANG)
    assert member is not None and member.department == "质检部" and member.bday_month == 8


async def test_stale_and_forged_form_buttons_change_nothing(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    ask_dept = (await h.send(WANG, "王小明"))[0]
    await h.press_label(WANG, ask_dept, "一车间")
    sent, answer = await h.press_label(WANG, ask_dept, "二车间")  # an old keyboard
    assert sent == [] and answer["show_alert"] and says(answer["text"], "button_expired")
    # Forged: confirm before the end, and a department that does not exist.
    for forged in (ConfirmPress(), DepartmentChoice(index=99)):
        sent, answer = await h.press(WANG, ask_dept, forged.pack())
        assert sent == [] and says(answer["text"], "button_expired")
    assert await _member(h, WANG) is None


async def test_cancel_leaves_registration_without_saving(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    await h.send(WANG, "/start")
    [ask_dept] = await h.send(WANG, "王小明")
    [helped] = await h.send(WANG, "/help")  # mid-registration: not "send /start"
    assert says(helped, "help_registering") and "/start" not in helped.text
    assert h.current(ask_dept).buttons() != []  # the question is still there to answer
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_registration")
    [nothing] = await h.send(WANG, "/cancel")
    assert says(nothing, "cancel_nothing")
    [hint] = await h.send(WANG, "你好")
    assert says(hint, "register_first")
    assert await _everyone(h) == []


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
    assert says(confirm, "welcome_roster") and says(confirm, "confirm_intro")
    assert says(confirm, "profile_summary", name="赵六", birthday="农历八月十五")
    [ask_name], _ = await h.press_key(10_003, confirm, "btn_redo")  # starting over asks all
    assert says(ask_name, "ask_name")
    await h.send(10_003, "赵六")
    await h.press_label(10_003, h.emu.last(10_003), "二车间")
    [ask_birthday] = await h.send(10_003, "2月30日")
    assert says(ask_birthday, "bday_bad_day", month=2)
    await h.send(10_003, "农历八月十六")
    await h.press_key(10_003, h.emu.last(10_003), "btn_share_no")
    await h.press_label(10_003, h.emu.last(10_003), "中文")
    confirm = h.emu.last(10_003)
    assert says(confirm, "profile_summary", birthday="农历八月十六")
    await h.press_key(10_003, confirm, "btn_confirm")
    rows = await _everyone(h)
    assert len(rows) == 1 and rows[0].telegram_id == 10_003 and rows[0].registered_at is not None


async def test_a_roster_row_with_an_old_department_asks_for_it(harness: Harness) -> None:
    h = harness
    async with h.db.begin() as session:
        await members.add(
            session, now=h.clock.now(), telegram_id=10_004, name="周八", department="已撤销车间"
        )
    h.emu.user(10_004, "Zhou", language_code="en")
    [ask] = await h.send(10_004, "/start")
    assert says(ask, "welcome_roster", "en") and says(ask, "ask_department", "en")
    [confirm], _ = await h.press_label(10_004, ask, "二车间")
    assert says(confirm, "profile_summary", "en", department="二车间", language="English")


async def test_start_in_a_group_links_to_the_private_chat(harness: Harness) -> None:
    h = harness
    h.emu.user(WANG, "小王")
    group = h.emu.group("一车间群", members=[WANG])
    h.emu.add_bot_to_group(group, WANG)
    await h.settle()
    [link] = await h.send(WANG, "/start@unionbridge_bot", chat_id=group)
    assert link.chat_id == group and says(link, "private_only")
    assert "https://t.me/unionbridge_bot?start=" in link.html
    sent = await h.send(WANG, "/me", chat_id=group)
    said(sent, "private_only")
