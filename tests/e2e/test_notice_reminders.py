"""A notice's reminder reminds only those who have had the notice: a member whose copy is still
waiting (held by quiet hours, or behind a backlog) gets the notice once, not the notice and its
reminder together; and a timer that comes late sends one round, not every round it missed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.config import NoticesConfig
from bot.emulator import EmulatorServer
from storage import members
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
CADRE, NIGHT, DAY = 41_001, 41_002, 41_003
BODY = "周五下午两点在二楼会议室召开职代会筹备会，请各车间代表参加。"


@pytest.fixture
async def twice(server: EmulatorServer, db_url: str, clock: ManualClock) -> AsyncIterator[Harness]:
    """The bot reminding twice, two hours apart."""
    config = harness_config(server, db_url, admins=[ADMIN])
    config = config.model_copy(update={"notices": NoticesConfig(remind_times=2)})
    running = Harness(server, config, clock)
    await running.start()
    yield running
    await running.stop()


async def _people(h: Harness) -> None:
    await register(h, CADRE, "陈主席", username="chen_cadre")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    async with h.db.begin() as session:
        for telegram_id, name in ((NIGHT, "夜班工友"), (DAY, "白班工友")):
            member = await members.add(
                session, now=h.clock.now(), telegram_id=telegram_id, name=name, department="一车间"
            )
            await members.mark_registered(session, member, now=h.clock.now())
            h.emu.user(telegram_id, name)
            h.emu.open_private(telegram_id)


async def _send_notice(h: Harness) -> None:
    await h.send(CADRE, "/notice")
    [ask_target] = await h.send(CADRE, BODY)
    [ask_ack], _ = await h.press_key(CADRE, ask_target, "btn_target_all_members")
    [ask_when], _ = await h.press_key(CADRE, ask_ack, "btn_ack_required")
    sent, _ = await h.press_key(CADRE, ask_when, "btn_send_now")
    await h.press_key(CADRE, sent[-1], "btn_notice_send")
    await h.drain()


def _copies(h: Harness, chat_id: int, *, reminders: bool) -> int:
    return sum(
        1
        for m in h.emu.chat_messages(chat_id)
        if "职代会" in m.text and says(m, "reminder_intro") == reminders
    )


async def test_a_member_whose_copy_is_held_is_not_reminded_with_it(harness: Harness) -> None:
    h = harness
    await _people(h)
    await h.send(NIGHT, "/quiet 08:00-16:00")  # 09:30 now: the night shift sleeps
    await _send_notice(h)
    assert _copies(h, DAY, reminders=False) == 1 and _copies(h, NIGHT, reminders=False) == 0
    # 11:30, two hours on: the round reminds those who had the notice and did not confirm.
    h.clock.advance(timedelta(hours=2))
    assert await h.tick() > 0
    await h.drain()
    assert _copies(h, DAY, reminders=True) == 1
    assert _copies(h, CADRE, reminders=True) == 0  # the author is never asked to confirm
    # 16:00: the night shift wakes to the notice, once — not to the notice and a reminder.
    h.clock.advance(timedelta(hours=4, minutes=30))
    assert await h.tick() == 0
    await h.drain()
    assert _copies(h, NIGHT, reminders=False) == 1
    assert _copies(h, NIGHT, reminders=True) == 0


async def test_a_late_timer_sends_one_round_not_each_it_missed(twice: Harness) -> None:
    h = twice
    await _people(h)
    await _send_notice(h)
    # The bot was down from 10:00 to 14:00: rounds were due at 11:30 and 13:30.
    h.clock.advance(timedelta(hours=4, minutes=30))
    assert await h.tick() > 0
    h.clock.advance(timedelta(minutes=1))
    assert await h.tick() == 0
    await h.drain()
    assert _copies(h, DAY, reminders=True) == 1 and _copies(h, NIGHT, reminders=True) == 1
    h.clock.advance(timedelta(hours=3))  # both rounds are spent: no third
    assert await h.tick() == 0
