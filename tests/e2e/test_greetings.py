"""Greetings on time, exactly once: a Mid-Autumn day with solar, lunar and leap-month birthdays."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.emulator import EmulatorServer
from storage import groups, members
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 9, 25, 7, 59, tzinfo=SHANGHAI)  # 中秋: lunar 八月十五, no leap 8th month
CADRE = 60_000
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
        await members.set_role(session, cadre, role="cadre", actor_telegram_id=1, now=now)
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
    assert "王阳历，生日快乐" in wang and "36 岁" in wang  # the year was given and not hidden
    [li] = _texts(h, 60_002)
    assert "李农历" in li and "岁" not in li
    [zhao] = _texts(h, 60_003)  # 闰八月十五 in a year without a leap 8th month
    assert "赵闰月" in zhao
    assert _texts(h, 60_004) == [] and _texts(h, 60_005) == []
    first = _texts(h, chats["一车间"])
    second = _texts(h, chats["二车间"])
    assert (
        sum("中秋快乐" in text for text in first) == 1
        and sum("中秋快乐" in text for text in second) == 1
    )
    assert [t for t in first if "生日" in t] == [
        "🎂 今天是王阳历的生日，东风机械厂工会和车间的工友们祝生日快乐！"
    ]
    assert [t for t in second if "生日" in t] == [
        "🎂 今天是赵闰月的生日，东风机械厂工会和车间的工友们祝生日快乐！"
    ]
    assert all("李农历" not in text for text in first)  # no consent, no group greeting
    # 中秋 is an official holiday: the cadres' digest waits for the next working day
    # (Monday 9-28) and then covers the birthdays of the days off.
    assert _texts(h, CADRE) == []
    h.clock.advance(timedelta(days=3))
    await h.tick()
    await h.drain()
    [digest] = _texts(h, CADRE)
    assert "一车间：李农历、王阳历" in digest and "二车间：赵闰月、钱明天" in digest
    assert "质检部：孙后天" in digest


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
    assert "农历闰八月十五" in mine.text and "me:edit:bday" in str(mine.buttons())
    [upcoming] = await h.send(CADRE, "/birthdays")
    assert "一车间" in upcoming.text and "王阳历" in upcoming.text and "赵闰月" not in upcoming.text
    [refused] = await h.send(60_001, "/birthdays")
    assert "只有工会干部" in refused.text


async def test_an_admins_rerun_sends_only_what_is_new(server: EmulatorServer, db_url: str) -> None:
    clock = ManualClock(MORNING + timedelta(hours=2))
    h = Harness(server, harness_config(server, db_url, admins=[CADRE]), clock)
    await h.start()
    try:
        await _populate(h)
        await h.tick()
        await h.drain()
        async with h.db.begin() as session:  # registered after the morning run
            late = await members.add(
                session,
                now=clock.now(),
                telegram_id=60_009,
                name="周迟到",
                department="一车间",
                bday_kind="solar",
                bday_month=9,
                bday_day=25,
            )
            await members.mark_registered(session, late, now=clock.now())
        h.emu.user(60_009, "周迟到")
        h.emu.open_private(60_009)
        [done] = await h.send(CADRE, "/greetnow")
        assert "新排队 1 条" in done.text
        await h.drain()
        [again] = await h.send(CADRE, "/greetnow")
        assert "新排队 0 条" in again.text
        [refused] = await h.send(60_001, "/greetnow")
        assert "只有管理员" in refused.text
    finally:
        await h.stop()
    assert len(_texts(h, 60_009)) == 1
    assert sum("生日快乐" in text for text in _texts(h, 60_001)) == 1


async def test_quiet_presets(greeter: Harness) -> None:
    h = greeter
    await _populate(h)
    [menu] = await h.send(60_001, "/quiet")
    await h.press(60_001, menu, "qt:set:08:00-16:00")
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, 60_001)
    assert member is not None and (member.quiet_start, member.quiet_end) == (480, 960)
    [refused], _ = await h.press(60_001, menu, "qt:set:25:00-99:00")  # forged data
    assert "没看懂" in refused.text
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, 60_001)
    assert member is not None and (member.quiet_start, member.quiet_end) == (480, 960)
