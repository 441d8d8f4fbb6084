"""A notice reaches everyone it should, and its counts mean people: a department without a
group is written to privately (or, when a union turns that off, the preview names whom it
will miss and asks first); the preview and /receipts say how many people by which way and who
cannot be reached, by name and why; reminders go only to people it reached, never to its
author; a member who blocked the bot is remembered as unreachable."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.console.settings import ConsoleConfig
from bot.emulator import EmulatorServer, SentMessage
from bot.notices.settings import NoticesConfig
from storage import members
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config
from tests.e2e.test_console_api import PUBLIC, call, launch

pytestmark = pytest.mark.e2e
CADRE = 42_001
FIRST = 520_000
BODY = "本周六上午八点全厂消防演练，请按路线图撤离。"
# Two members in each department; 质检部 has no bound group, and 钱多多 is on its roster
# without ever having registered with the bot.
PEOPLE = {"一车间": 2, "二车间": 2, "质检部": 2}
ROSTER_ONLY = "钱多多"


@pytest.fixture
async def private_off(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[Harness]:
    """A union that sends notices "to the groups" only to groups, with the web console."""
    config = harness_config(server, db_url, admins=[ADMIN])
    config = config.model_copy(
        update={
            "notices": NoticesConfig(private_when_no_group=False),
            "console": ConsoleConfig(enabled=True, port=0, public_url=PUBLIC),
        }
    )
    running = Harness(server, config, clock)
    await running.start()
    yield running
    await running.stop()


async def _union(h: Harness) -> tuple[dict[str, list[int]], list[int]]:
    """The cadre (in 一车间), the members by department, and groups for 一车间 and 二车间."""
    await register(h, CADRE, "陈主席", username="chen_cadre", department="一车间")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    people: dict[str, list[int]] = {}
    async with h.db.begin() as session:
        index = 0
        for department, count in PEOPLE.items():
            for _ in range(count):
                telegram_id = FIRST + index
                name = f"会员{index}"
                member = await members.add(
                    session,
                    now=h.clock.now(),
                    telegram_id=telegram_id,
                    name=name,
                    department=department,
                )
                await members.mark_registered(session, member, now=h.clock.now())
                h.emu.user(telegram_id, name)
                h.emu.open_private(telegram_id)
                people.setdefault(department, []).append(telegram_id)
                index += 1
        await members.add(session, now=h.clock.now(), name=ROSTER_ONLY, department="质检部")
    chats = []
    for department in ("一车间", "二车间"):
        chat = h.emu.group(f"{department}群", members=[CADRE])
        h.emu.add_bot_to_group(chat, CADRE)
        await h.settle()
        await h.send(CADRE, f"/bindgroup {department}", chat_id=chat)
        chats.append(chat)
    return people, chats


async def _preview(h: Harness) -> SentMessage:
    """A notice to all groups, asking for 「收到」, up to its summary."""
    await h.send(CADRE, "/notice")
    [ask_target] = await h.send(CADRE, BODY)
    [ask_ack], _ = await h.press_key(CADRE, ask_target, "btn_target_all_groups")
    [ask_pin], _ = await h.press_key(CADRE, ask_ack, "btn_ack_required")
    [ask_when], _ = await h.press_key(CADRE, ask_pin, "btn_no_pin")
    sent, _ = await h.press_key(CADRE, ask_when, "btn_send_now")
    return said(sent, "notice_summary")


def _copies(h: Harness, chat_id: int) -> int:
    return sum(1 for m in h.emu.chat_messages(chat_id) if "消防演练" in m.text)


def _reminded(h: Harness) -> list[int]:
    return sorted(m.chat_id for m in h.emu.sent if says(m, "reminder_intro"))


async def _receipt(h: Harness) -> SentMessage:
    [listing] = await h.send(CADRE, "/receipts")
    [detail], _ = await h.press(CADRE, listing, listing.buttons()[0][1])
    return detail


def _names(*telegram_ids: int) -> str:
    return "、".join(f"会员{t - FIRST}" for t in telegram_ids)


async def test_a_department_without_a_group_gets_private_copies_and_counts_are_people(
    harness: Harness,
) -> None:
    h = harness
    people, chats = await _union(h)
    summary = await _preview(h)
    assert says(summary, "reach_total", people=6, by_group=4, privately=2, missed=1)
    assert says(summary, "reach_groups", count=2)
    assert says(summary, "reach_department", department="质检部", by_group=0, privately=2)
    assert says(summary, "reach_no_group")
    reason = label("reason_not_registered")
    assert says(summary, "reach_missed", reason=reason, names=ROSTER_ONLY)
    assert label("btn_notice_send") in str(summary.buttons())

    previewed = _copies(h, CADRE)
    await h.press_key(CADRE, summary, "btn_notice_send")
    await h.drain()
    assert [_copies(h, chat) for chat in chats] == [1, 1]
    assert all(_copies(h, t) == 1 for t in people["质检部"])  # no group: privately
    assert all(_copies(h, t) == 0 for t in people["一车间"] + people["二车间"])
    assert _copies(h, CADRE) == previewed  # the author gets no copy of their own
    group_copy = next(m for m in h.emu.chat_messages(chats[0]) if "消防演练" in m.text)
    assert says(group_copy, "ack_count", confirmed=0, total=2)  # the author not counted

    first, second = people["质检部"]
    copy = next(m for m in h.emu.chat_messages(first) if "消防演练" in m.text)
    await h.press_key(first, copy, "btn_ack")
    await h.press_key(people["一车间"][0], group_copy, "btn_ack")
    detail = await _receipt(h)
    assert says(detail, "reach_total", people=6, by_group=4, privately=2, missed=1)
    assert says(detail, "receipt_confirmed", confirmed=2, people=6)
    assert says(detail, "receipt_groups", sent=2, waiting=0, failed=0)
    assert says(detail, "receipt_department", department="质检部", confirmed=1, people=2)
    assert says(detail, "reach_missed", reason=reason, names=ROSTER_ONLY)
    assert "送达 1" not in detail.text  # a group post is not a person

    await h.press_key(CADRE, detail, "btn_remind_now", count=4)
    await h.drain()
    reached_unconfirmed = [people["一车间"][1], *people["二车间"], second]
    assert _reminded(h) == sorted(reached_unconfirmed)  # never the author


async def test_a_member_who_blocked_the_bot_is_named_as_unreachable(harness: Harness) -> None:
    h = harness
    people, _ = await _union(h)
    blocked, other = people["质检部"]
    h.emu.block_bot(blocked)
    await h.press_key(CADRE, await _preview(h), "btn_notice_send")
    await h.drain()
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, blocked)
    assert member is not None and not member.active and member.unreachable == "blocked"

    detail = await _receipt(h)
    reason = label("reason_blocked")
    assert says(detail, "reach_missed", reason=reason, names=_names(blocked))
    assert says(detail, "receipt_confirmed", confirmed=0, people=5)
    await h.press_key(CADRE, detail, "btn_remind_now", count=5)
    await h.drain()
    assert blocked not in _reminded(h) and other in _reminded(h)

    # The next notice's preview already knows.
    summary = await _preview(h)
    assert says(summary, "reach_total", people=5, by_group=4, privately=1, missed=2)
    assert says(summary, "reach_missed", reason=reason, names=_names(blocked))


async def test_with_private_copies_off_the_preview_names_whom_it_misses_and_asks(
    private_off: Harness,
) -> None:
    h = private_off
    people, chats = await _union(h)
    summary = await _preview(h)
    missed = people["质检部"]
    assert says(summary, "reach_total", people=4, by_group=4, privately=0, missed=3)
    assert says(summary, "reach_missed", reason=label("reason_no_group"), names=_names(*missed))
    assert says(summary, "notice_no_group_ask", departments="质检部", count=2)
    assert label("btn_notice_send_anyway") in str(summary.buttons())

    await h.press_key(CADRE, summary, "btn_notice_send_anyway")
    await h.drain()
    assert [_copies(h, chat) for chat in chats] == [1, 1]
    assert all(_copies(h, t) == 0 for t in missed)
    detail = await _receipt(h)
    assert says(detail, "receipt_confirmed", confirmed=0, people=4)
    assert says(detail, "reach_missed", reason=label("reason_no_group"), names=_names(*missed))
    await h.press_key(CADRE, detail, "btn_remind_now", count=4)
    await h.drain()
    # Only people it reached are reminded: not 质检部, which never got it, nor the author.
    assert _reminded(h) == sorted(people["一车间"] + people["二车间"])


async def test_the_console_shows_the_same_reach_and_receipts_in_people(
    private_off: Harness,
) -> None:
    h = private_off
    people, _ = await _union(h)
    assert h.app is not None and h.app.console_server is not None
    h.base = f"http://127.0.0.1:{h.app.console_server.port}/console/"  # type: ignore[attr-defined]
    auth = "tma " + launch(h, CADRE)
    body = json.dumps({"text": BODY, "target": "groups", "ack": True}).encode()
    status, shown = await call(h, "POST", "/notices/preview", auth=auth, body=body)
    assert status == 200 and shown["ask"]
    quality = next(entry for entry in shown["reach"] if entry["department"] == "质检部")
    assert (quality["people"], quality["groups"]) == (0, [])
    reason = label("reason_no_group")
    assert quality["unreachable"][:2] == [f"会员{t - FIRST}（{reason}）" for t in people["质检部"]]
    assert says(shown["summary"], "notice_no_group_ask", departments="质检部", count=2)

    status, sent = await call(h, "POST", "/notices", auth=auth, body=body)
    assert status == 200
    await h.drain()
    status, board = await call(h, "GET", f"/notices/{sent['id']}/receipts", auth=auth)
    assert status == 200 and board["groups"]["sent"] == 2
    assert sum(entry["audience"] for entry in board["departments"]) == 4  # people, not posts
    quality = next(entry for entry in board["departments"] if entry["department"] == "质检部")
    assert quality["audience"] == 0 and len(quality["unreachable"]) == 3
