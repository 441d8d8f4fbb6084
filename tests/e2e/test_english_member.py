"""A member who chose English gets English everywhere: walking the main flows as an English
member, no text or button the bot sends them has a Chinese character, except what people
wrote (names, the cadre's activity and vote, the union's own name)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.config import Config
from bot.emulator import EmulatorServer, SentMessage
from tests.e2e.catalogue import label, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
CADRE, AMY = 73_001, 73_002
DEPARTMENTS_EN = {"一车间": "Workshop 1", "二车间": "Workshop 2", "质检部": "Quality control"}
ACTIVITY = """标题：周五羽毛球
时间：11月27日 17:30-19:00
地点：职工活动中心
截止：11月27日 12:00
名额：20
名单公开：是
说明：自带球拍"""
VOTE = """问题：是否同意调整夏季作息时间？
选项：同意、不同意、弃权
范围：一车间
开始：现在
结束：明天 18:00"""
# What people wrote, which the bot passes on as written.
WRITTEN = (
    "东风机械厂工会", "陈干事", "周主席", "周五羽毛球", "职工活动中心", "自带球拍",
    "是否同意调整夏季作息时间？", "同意", "不同意", "弃权", "中文",
)  # fmt: skip
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture
async def english(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[Harness]:
    data = harness_config(server, db_url, admins=[ADMIN]).model_dump(mode="json")
    data["union"]["departments_en"] = DEPARTMENTS_EN
    running = Harness(server, Config.model_validate(data), clock)
    await running.start()
    yield running
    await running.stop()


def _chinese_in(message: SentMessage) -> list[str]:
    """The Chinese left in a message's text and buttons once what people wrote is taken out."""
    found = []
    for piece in [message.text, *(text for text, _ in message.buttons())]:
        left = piece
        for written in sorted(WRITTEN, key=len, reverse=True):
            left = left.replace(written, "")
        if CJK.search(left):
            found.append(piece)
    return found


async def _cadre_posts(h: Harness) -> None:
    """The cadre (Chinese) posts an activity and opens a vote for 一车间."""
    await h.send(CADRE, "/newactivity")
    [preview] = await h.send(CADRE, ACTIVITY)
    await h.press_key(CADRE, preview, "btn_act_create_post")
    await h.send(CADRE, "/newvote")
    [preview] = await h.send(CADRE, VOTE)
    await h.press_key(CADRE, preview, "btn_vote_create")
    await h.drain()


async def _walk(h: Harness) -> None:
    """Everything an English member does in a first week."""
    [hello] = [m for m in await h.send(AMY, "hi") if m.chat_id == AMY]
    await h.press_label(AMY, hello, label("btn_task_profile", "en"))
    [answer] = [
        m for m in await h.send(AMY, "How is overtime paid on a weekend?") if m.chat_id == AMY
    ]
    related = [text for text, _ in answer.buttons() if text.startswith("❓")]
    await h.press_label(AMY, answer, related[0])
    await h.send(AMY, "/help")
    # A report, from the category to sending it.
    [form] = [m for m in await h.send(AMY, "/report") if m.chat_id == AMY]
    await h.press_label(AMY, form, next(text for text, _ in form.buttons()))
    await h.send(AMY, "never mind")
    [noted] = [m for m in await h.send(AMY, "My overtime was not paid.") if m.chat_id == AMY]
    [identity], _ = await h.press_label(AMY, noted, label("btn_report_done", "en"))
    await h.press_label(AMY, identity, label("btn_named", "en"))
    await h.press_label(AMY, h.current(identity), label("btn_report_send", "en"))
    [mine] = [m for m in await h.send(AMY, "/mycases") if m.chat_id == AMY]
    await h.press_label(AMY, mine, "#")
    # The activity and the vote the cadre posted.
    [activities] = [m for m in await h.send(AMY, "/activities") if m.chat_id == AMY]
    await h.press_label(AMY, activities, label("btn_act_join", "en"))
    await h.send(AMY, "/activities")
    ballot = next(m for m in h.emu.chat_messages(AMY) if "是否同意" in m.text)
    await h.press_label(AMY, ballot, "同意")
    await h.send(AMY, "/votes")
    await h.send(AMY, "/me")
    await h.send(AMY, "/open")  # the open board: its case categories in English too
    await h.send(AMY, "/lifeevent")
    await h.send(AMY, "/cancel")
    await h.send(AMY, "/suggest")
    [offer] = [m for m in await h.send(AMY, "forget it") if m.chat_id == AMY]
    await h.press_label(AMY, offer, label("btn_quit_yes", "en"))


async def test_an_english_member_reads_no_chinese(english: Harness) -> None:
    h = english
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, AMY, "Amy", department="Workshop 1", language="English", language_code="en")
    await _cadre_posts(h)
    await _walk(h)
    await h.drain()
    received = [h.current(m) for m in h.emu.chat_messages(AMY)]
    assert len(received) > 25
    chinese = {piece for message in received for piece in _chinese_in(message)}
    assert not chinese, "\n---\n".join(sorted(chinese))
    assert any(says(m, "registered", "en") for m in received)
    assert any("Workshop 1" in m.text for m in received)  # the union's English name for it
