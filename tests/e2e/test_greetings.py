"""Greetings on time, exactly once: a Mid-Autumn day with solar, lunar and leap-month birthdays."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.emulator import EmulatorServer
from bot.greetings.manual_run import manual_runs
from storage import groups, members
from storage.statuses import StoredRole
from tests.e2e.catalogue import label, says
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 9, 25, 7, 59, tzinfo=SHANGHAI)  # 中秋: lunar 八月十五, no leap 8th month
CADRE = 60_000
UNION = "东风机械厂工会"
PEOPLE = {
    # telegram id: (name, department, kind, month, day, leap, year, share, hide year)
    60_001: ("王阳历", "一车间", "solar", 9, 25, False, 1990, True, False),
    60_002: ("李农历", "一车间", "lunar", 8, 15, False, None, False, True),
    60_003: ("赵闰月", "二车间", "lunar", 8, 15, True, None, True, True),
    60_004: ("钱明天", "二车间", "solar", 9, 26, False, 1992, True, True),
    60_005: ("孙后天", "质检部", "lunar", 8, 17, False, None, True, True),
}


async def _populate(h: Harness) -> dict[str, int]:
    now = h.clock.now()
    async with h.db.begin() as session:
        for telegram_id, (name, dept, kind, month, day, leap, year, share, hide) in PEOPLE.items():
            member = await members.add(
                session,
                now=now,
                telegram_id=telegram_id,
                name=name,
                department=dept,
                bday_kind=kind,
                bday_month=month,
                bday_day=day,
                bday_leap=leap,
                bday_year=year,
                share_birthday=share,
                hide_year=hide,
            )
            await members.mark_registered(session, member, now=now)
            h.emu.user(telegram_id, name)
            h.emu.open_private(telegram_id)
        cadre = await members.add(
            session, now=now, telegram_id=CADRE, name="陈主席", department="一车间"
        )
        await members.mark_registered(session, cadre, now=now)
        await members.set_role(session, cadre, role=StoredRole.CADRE, actor_telegram_id=1, now=now)
        h.emu.user(CADRE, "陈主席")
        h.emu.open_private(CADRE)
        chats = {}
        for department in ("一车间", "二车间"):
            chat = h.emu.group(f"{department}群", members=[CADRE])
            h.emu.chats[chat].bot_status = "member"
            group = await groups.record(
                session, chat_id=chat, title=f"{department}群", bot_status="member", now=now
            )
            await groups.bind(session, group, department=department, by=CADRE, now=now)
            chats[department] = chat
    return chats


def _texts(h: Harness, chat_id: int) -> list[str]:
    return [m.text for m in h.emu.chat_messages(chat_id)]


@pytest.fixture
def morning() -> ManualClock:
    return ManualClock(MORNING)


@pytest.fixture
async def greeter(server: EmulatorServer, db_url: str, morning: ManualClock) -> Harness:
    h = Harness(server, harness_config(server, db_url, admins=[]), morning)
    await h.start()
    yield h  # type: ignore[misc]
    await h.stop()


async def test_the_right_greetings_reach_the_right_chats_once(greeter: Harness) -> None:
    h = greeter
    chats = await _populate(h)
    assert await h.tick() == 0  # 07:59: not yet
    h.clock.advance(timedelta(minutes=1))
    assert await h.tick() > 0
    assert await h.tick() == 0  # the run is done for today
    await h.drain()
    [wang] = _texts(h, 60_001)
    assert "王阳历" in wang and says(wang, "age_note", age=36)  # the year given, not hidden
    [li] = _texts(h, 60_002)
    assert "李农历" in li and not says(li, "age_note")
    [zhao] = _texts(h, 60_003)  # 闰八月十五 in a year without a leap 8th month
    assert "赵闰月" in zhao
    assert _texts(h, 60_004) == [] and _texts(h, 60_005) == []
    first = _texts(h, chats["一车间"])
    second = _texts(h, chats["二车间"])
    assert (
        sum("中秋快乐" in text for text in first) == 1
        and sum("中秋快乐" in text for text in second) == 1
    )
    template = h.config.greetings.birthday_group
    assert [t for t in first if "生日" in t] == [template.format(names="王阳历", union=UNION)]
    assert [t for t in second if "生日" in t] == [template.format(names="赵闰月", union=UNION)]
    assert all("李农历" not in text for text in first)  # no consent, no group greeting
    # 中秋 is an official holiday: the cadres' digest waits for the next working day
    # (Monday 9-28) and then covers the birthdays of the days off.
    assert _texts(h, CADRE) == []
    h.clock.advance(timedelta(days=3))
    await h.tick()
    await h.drain()
    [digest] = _texts(h, CADRE)
    assert says(digest, "digest_title") and says(digest, "digest_today_days_off")
    assert says(digest, "digest_department", department="一车间", names="李农历、王阳历")
    assert says(digest, "digest_department", department="二车间", names="赵闰月、钱明天")
    assert says(digest, "digest_department", department="质检部", names="孙后天")


async def test_a_restart_across_the_greeting_time_catches_up_once(greeter: Harness) -> None:
    h = greeter
    await _populate(h)
    assert await h.tick() == 0
    await h.stop()
    h.clock.advance(timedelta(minutes=11))  # the bot was down at 08:00
    await h.start()
    await h.tick()
    await h.restart()
    await h.tick()
    await h.drain()
    assert len(_texts(h, 60_001)) == 1 and len(_texts(h, 60_003)) == 1


async def test_the_next_day_is_not_greeted_for_the_past(greeter: Harness) -> None:
    h = greeter
    await _populate(h)
    h.clock.advance(timedelta(days=1, hours=3))  # the bot missed the whole of 中秋
    await h.tick()
    await h.drain()
    assert _texts(h, 60_001) == [] and _texts(h, 60_002) == []
    [qian] = _texts(h, 60_004)  # 9-26 is today now
    assert "钱明天" in qian


async def test_quiet_hours_hold_a_birthday_greeting(greeter: Harness) -> None:
    h = greeter
    await _populate(h)
    async with h.db.begin() as session:
        li = await members.get_by_telegram_id(session, 60_002)
        assert li is not None
        await members.update(session, li, now=h.clock.now(), quiet_start=22 * 60, quiet_end=10 * 60)
    h.clock.advance(timedelta(minutes=1))
    await h.tick()
    await h.drain()
    assert _texts(h, 60_002) == [] and len(_texts(h, 60_001)) == 1
    h.clock.advance(timedelta(hours=2))
    await h.drain()
    assert len(_texts(h, 60_002)) == 1


async def test_two_instances_on_one_database_greet_once(
    server: EmulatorServer, db_url: str
) -> None:
    clock = ManualClock(MORNING + timedelta(minutes=1))
    first = Harness(server, harness_config(server, db_url, admins=[]), clock)
    second = Harness(server, harness_config(server, db_url, admins=[]), clock)
    await first.start()
    await second.start()
    try:
        chats = await _populate(first)
        await asyncio.gather(first.tick(), second.tick(), first.tick(), second.tick())
        await asyncio.gather(first.drain(), second.drain())
    finally:
        await first.stop()
        await second.stop()
    copies = Counter(m.chat_id for m in server.emulator.sent)
    for telegram_id in (60_001, 60_002, 60_003):
        assert copies[telegram_id] == 1, telegram_id
    assert copies[chats["一车间"]] == 2 and copies[chats["二车间"]] == 2  # a birthday and 中秋 each


async def test_birthday_commands(greeter: Harness) -> None:
    h = greeter
    await _populate(h)
    [mine] = await h.send(60_003, "/birthday")
    assert says(mine, "birthday_setting", birthday="农历闰八月十五", time="08:00")
    [ask], _ = await h.press_key(60_003, mine, "btn_edit_bday")
    assert says(ask, "ask_birthday")
    [upcoming] = await h.send(CADRE, "/birthdays")
    assert says(upcoming, "birthdays_title", scope="一车间")
    assert says(upcoming, "birthdays_line", department="一车间", name="王阳历")
    assert "赵闰月" not in upcoming.text  # another department's
    [refused] = await h.send(60_001, "/birthdays")
    assert says(refused, "not_allowed")


async def _late_member(h: Harness) -> None:
    """Someone registered after the morning run, whose birthday is today."""
    async with h.db.begin() as session:
        late = await members.add(
            session,
            now=h.clock.now(),
            telegram_id=60_009,
            name="周迟到",
            department="一车间",
            bday_kind="solar",
            bday_month=9,
            bday_day=25,
        )
        await members.mark_registered(session, late, now=h.clock.now())
    h.emu.user(60_009, "周迟到")
    h.emu.open_private(60_009)


@pytest.fixture
async def chair(server: EmulatorServer, db_url: str) -> Harness:
    """Two hours after the greeting time, with the cadre as the union's admin."""
    clock = ManualClock(MORNING + timedelta(hours=2))
    h = Harness(server, harness_config(server, db_url, admins=[CADRE]), clock)
    await h.start()
    yield h  # type: ignore[misc]
    await h.stop()


async def test_an_admins_rerun_sends_only_what_is_new(chair: Harness) -> None:
    h = chair
    await _populate(h)
    await h.tick()
    await h.drain()
    await _late_member(h)
    [offer] = await h.send(CADRE, "/greetnow")
    assert says(offer, "greetnow_confirm", runs=0)
    await h.press_key(CADRE, offer, "btn_greetnow")
    assert says(h.current(offer), "greetnow_done", count=1)
    await h.drain()
    [again] = await h.send(CADRE, "/greetnow")  # a deliberate later rerun still runs
    assert says(again, "greetnow_confirm", runs=1)
    await h.press_key(CADRE, again, "btn_greetnow")
    assert says(h.current(again), "greetnow_done", count=0)
    [refused] = await h.send(60_001, "/greetnow")
    assert says(refused, "admin_only")
    await h.drain()
    assert len(_texts(h, 60_009)) == 1
    assert sum("生日快乐" in text for text in _texts(h, 60_001)) == 1


async def test_two_taps_on_greetnow_run_it_once(chair: Harness) -> None:
    h = chair
    await _populate(h)
    await h.tick()
    await h.drain()
    await _late_member(h)
    [offer] = await h.send(CADRE, "/greetnow")
    drawn = h.button_data(offer, label("btn_greetnow"))
    sent, answers = await h.double_press(CADRE, offer, label("btn_greetnow"))
    told = [m for m in sent if m.chat_id == CADRE]
    assert told == [] and h.current(offer).edits == 1  # the admin is told once
    assert says(h.current(offer), "greetnow_done", count=1)
    assert says(answers[1]["text"], "greetnow_already")
    _, stale = await h.press(CADRE, offer, drawn)  # the same button, pressed again later
    assert says(stale["text"], "greetnow_already")
    await h.drain()
    assert len(_texts(h, 60_009)) == 1
    async with h.db.read() as session:
        assert await manual_runs(session, day=MORNING.date()) == 1


async def test_greetnow_before_the_greeting_time_says_when(greeter: Harness) -> None:
    h = greeter
    h.config.union.admins.append(CADRE)
    await _populate(h)
    [early] = await h.send(CADRE, "/greetnow")
    assert says(early, "greetnow_early", time="08:00") and early.buttons() == []


async def test_quiet_presets(greeter: Harness) -> None:
    h = greeter
    await _populate(h)
    [menu] = await h.send(60_001, "/quiet")
    assert says(menu, "quiet_show", current=label("word_none"))
    [done], _ = await h.press_label(60_001, menu, "08:00-16:00")
    assert says(done, "quiet_set", range="08:00-16:00")
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, 60_001)
    assert member is not None and (member.quiet_start, member.quiet_end) == (480, 960)
    sent, refused = await h.press(60_001, menu, "quiet:noon")  # forged data
    assert sent == [] and says(refused["text"], "button_expired")
    [off], _ = await h.press_key(60_001, menu, "btn_quiet_off")
    assert says(off, "quiet_off")
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, 60_001)
    assert member is not None and member.quiet_start is None and member.quiet_end is None
