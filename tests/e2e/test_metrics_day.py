"""A scripted day through the emulator (registrations, a notice, a case, sign-ups, the
morning greeting run), then /metrics scraped over HTTP: its counters match what happened —
updates by type as the emulator pushed them, sends by outcome as the outbox recorded them,
the 429s Telegram answered, job runs, the greeting run's size and the outbox's depth."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import col, func, select

from bot.cases.identity import BUTTON_LABELS, Identity
from bot.clock import ManualClock
from bot.emulator import ApiError, EmulatorServer, Fault
from bot.ops.settings import OpsConfig
from storage import members
from storage.models import Outbox
from storage.statuses import OutboxKind, OutboxStatus
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAWN = datetime(2026, 11, 24, 7, 40, tzinfo=SHANGHAI)  # a Tuesday, a working day
CADRE, WANG, LI, ZHAO, SUN = 91_001, 91_002, 91_003, 91_004, 91_005
ACTIVITY = """标题：周五羽毛球
时间：11月27日 17:30-19:00
地点：职工活动中心
截止：11月27日 12:00
名额：20
名单公开：是
每周：否
说明：自带球拍"""
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def day(server: EmulatorServer, db_url: str) -> AsyncIterator[Harness]:
    config = harness_config(server, db_url, admins=[ADMIN])
    config = config.model_copy(update={"ops": OpsConfig(enabled=True, port=0)})
    h = Harness(server, config, ManualClock(DAWN))
    await h.start()
    yield h
    await h.stop()


async def _scrape(h: Harness) -> Samples:
    assert h.app is not None and h.app.ops_server is not None
    url = f"http://127.0.0.1:{h.app.ops_server.port}/metrics"
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        assert response.status == 200
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def _people_and_group(h: Harness) -> int:
    await register(h, CADRE, "陈主席", username="chen_cadre")
    await register(h, WANG, "王小明", birthday="1990-11-24")  # shared: greeted in the group
    await register(h, LI, "李华")
    await register(h, ZHAO, "赵六")
    await register(h, SUN, "孙七")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    group = h.emu.group("一车间群", members=[CADRE])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 一车间", chat_id=group)
    async with h.db.begin() as session:  # 孙七 keeps quiet hours all morning
        sun = await members.get_by_telegram_id(session, SUN)
        assert sun is not None
        await members.update(session, sun, now=h.clock.now(), quiet_start=0, quiet_end=12 * 60)
    return group


async def _notice(h: Harness) -> None:
    await h.send(CADRE, "/notice")
    [target] = await h.send(CADRE, "周五下午安全培训，请准时参加。")
    [ack], _ = await h.press_key(CADRE, target, "btn_target_all_members")
    [question], _ = await h.press_key(CADRE, ack, "btn_ack_required")
    if says(question, "notice_ask_pin"):
        [question], _ = await h.press_key(CADRE, question, "btn_no_pin")
    sent, _ = await h.press_key(CADRE, question, "btn_send_now")
    # Telegram throttles the first two sends of the notice.
    throttle = ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
    h.emu.faults.append(Fault("sendmessage", throttle, times=2))
    await h.press_key(CADRE, sent[-1], "btn_notice_send")
    await h.drain()


async def _case(h: Harness) -> None:
    [ask] = await h.send(WANG, "/report")
    await h.press_label(WANG, ask, "工资待遇")
    [noted] = await h.send(WANG, "上个月的加班费没有发。")
    [who], _ = await h.press_key(WANG, noted, "btn_report_done")
    await h.press_key(WANG, who, BUTTON_LABELS[Identity.NAMED])
    await h.press_key(WANG, who, "btn_report_send")
    await h.drain()


async def _signups(h: Harness) -> None:
    await h.send(CADRE, "/newactivity")
    [preview] = await h.send(CADRE, ACTIVITY)
    await h.press_key(CADRE, preview, "btn_act_create_post")
    await h.drain()
    for user in (WANG, LI):
        [mine] = await h.send(user, "/activities")
        _, joined = await h.press_key(user, mine, "btn_act_join")
        assert says(joined["text"], "act_join_confirmed")
        await h.drain()  # the private confirmation goes out before the next member asks


async def _outbox(h: Harness) -> tuple[dict[str, int], dict[str, int], int]:
    """Rows sent (live-count edits aside) by status, rows waiting by kind, and what the
    greeting run queued."""
    async with h.db.read() as session:
        statuses = await session.exec(
            select(Outbox.status, func.count())
            .where(col(Outbox.kind) != OutboxKind.EDIT)
            .group_by(col(Outbox.status))
        )
        waiting = await session.exec(
            select(Outbox.kind, func.count())
            .where(col(Outbox.status) == OutboxStatus.PENDING)
            .group_by(col(Outbox.kind))
        )
        greeted = await session.exec(
            select(func.count()).where(
                col(Outbox.kind).in_([OutboxKind.GREETING, OutboxKind.DIGEST])
            )
        )
        return (
            {str(status): int(n) for status, n in statuses.all()},
            {str(kind): int(n) for kind, n in waiting.all()},
            int(greeted.one()),
        )


async def test_the_metrics_count_what_happened_in_a_day(day: Harness) -> None:
    h = day
    group = await _people_and_group(h)
    h.emu.block_bot(ZHAO)  # the notice cannot reach 赵六
    await _notice(h)  # "send now" runs the minute tick once
    await _case(h)
    await _signups(h)
    assert await h.tick() == 0  # 07:40: nothing due
    h.clock.set(DAWN.replace(hour=8))
    assert await h.tick() > 0  # 08:00: the greeting run
    await h.drain()

    samples = await _scrape(h)
    by_status, waiting, greeted = await _outbox(h)
    for kind in ("message", "callback_query", "my_chat_member"):
        assert _value(samples, "unionbridge_updates_total", type=kind) == h.emu.pushed[kind], kind
    handled = sum(h.emu.pushed.values())
    assert _value(samples, "unionbridge_update_seconds_count") == handled
    # One edit row carries a group post's live count and is sent again at each change.
    edits = sum(message.edits for message in h.emu.chat_messages(group))
    delivered = _value(samples, "unionbridge_sends_total", outcome="delivered")
    assert edits > 0 and delivered == by_status["sent"] + edits
    assert _value(samples, "unionbridge_sends_total", outcome="unreachable") == 1  # 赵六
    # Both 429s asked for a second's pause: each send waited and went (delivered, above).
    assert _value(samples, "unionbridge_throttled_total") == 2 == h.emu.retry_after_sent
    assert _value(samples, "unionbridge_job_runs_total", job="tick") == 3
    assert _value(samples, "unionbridge_job_runs_total", job="greetings") == 1
    assert _value(samples, "unionbridge_job_seconds_count", job="greetings") == 1
    assert _value(samples, "unionbridge_greeting_run_size") == greeted >= 3
    # 孙七's notice and reminders wait out the quiet hours: the depth by kind says so.
    assert waiting and all(
        _value(samples, "unionbridge_outbox_depth", kind=kind) == count
        for kind, count in waiting.items()
    )
    assert _value(samples, "unionbridge_outbox_oldest_seconds", kind="notice") == 0
    h.clock.advance(timedelta(hours=4, minutes=1))  # 12:01: past the quiet hours, not sent
    later = await _scrape(h)
    assert _value(later, "unionbridge_outbox_oldest_seconds", kind="notice") > 0
