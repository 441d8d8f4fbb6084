"""The cadres' digest is a morning message that says 「含刚过去的休息日」 only after days off:
a bot started on a Thursday evening greets the day's birthdays but sends no 「早上好」; Friday's
digest is just today's; Monday's covers the weekend."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.emulator import EmulatorServer
from storage import members
from storage.statuses import StoredRole
from tests.e2e.catalogue import says
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
THURSDAY_EVENING = datetime(2026, 12, 3, 19, 39, tzinfo=SHANGHAI)  # an ordinary working week
CADRE = 61_000
PEOPLE = {61_001: ("周四生", 12, 3), 61_002: ("周五生", 12, 4), 61_003: ("周日生", 12, 6)}


@pytest.fixture
async def evening(server: EmulatorServer, db_url: str) -> Harness:
    h = Harness(server, harness_config(server, db_url, admins=[]), ManualClock(THURSDAY_EVENING))
    await h.start()
    yield h  # type: ignore[misc]
    await h.stop()


async def _populate(h: Harness) -> None:
    now = h.clock.now()
    async with h.db.begin() as session:
        for telegram_id, (name, month, day) in PEOPLE.items():
            member = await members.add(
                session, now=now, telegram_id=telegram_id, name=name, department="一车间",
                bday_kind="solar", bday_month=month, bday_day=day, share_birthday=True,
            )  # fmt: skip
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


def _digests(h: Harness) -> list[str]:
    return [m.text for m in h.emu.chat_messages(CADRE) if says(m, "digest_title")]


async def _morning_of(h: Harness, day: int) -> None:
    h.clock.advance(datetime(2026, 12, day, 8, 0, tzinfo=SHANGHAI) - h.clock.now())
    await h.tick()
    await h.drain()


async def test_the_digest_is_a_morning_message_that_names_days_off_only_after_them(
    evening: Harness,
) -> None:
    h = evening
    await _populate(h)
    # Started on Thursday at 19:39: today's birthday is still greeted, but no 「早上好」.
    await h.tick()
    await h.drain()
    assert any("生日快乐" in m.text for m in h.emu.chat_messages(61_001))
    assert _digests(h) == []
    # Friday 08:00 follows a working day: just 「今天过生日」.
    await _morning_of(h, 4)
    [friday] = _digests(h)
    assert says(friday, "digest_today") and not says(friday, "digest_today_days_off")
    assert "周五生" in friday and "周四生" not in friday
    # Monday 08:00 follows the weekend: 「今天（含刚过去的休息日）」, with Sunday's birthday.
    await _morning_of(h, 7)
    monday = _digests(h)[-1]
    assert says(monday, "digest_today_days_off") and "周日生" in monday
