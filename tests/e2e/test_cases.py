"""Grievance cases end to end: named and anonymous lives, relays, SLA, ratings, privacy."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from storage import cases
from storage.models import Case, CaseEntry, Outbox
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI, ZHAO = 70_001, 70_002, 70_003, 70_004


async def _people(h: Harness) -> None:
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await h.send(ADMIN, "/cadre add @chen_cadre")
    await register(h, WANG, "王小明", username="wang_xm")
    await register(h, LI, "李华", username="li_hua", department="二车间")
    await register(h, ZHAO, "赵六", department="二车间")


async def _report(h: Harness, user: int, text: str, identity: str) -> int:
    [ask] = await h.send(user, "/report")
    await h.press(user, ask, "rp:cat:0")
    await h.send(user, text)
    [who], _ = await h.press(user, h.emu.last(user), "rp:done:1")
    await h.press(user, who, f"rp:id:{identity}")
    confirm = h.emu.last(user)
    await h.press(user, confirm, "rp:go:send")
    assert "已提交" in h.current(confirm).text
    async with h.db.read() as session:
        found = (await session.exec(select(Case).order_by(Case.id.desc()))).first()  # type: ignore[union-attr]
    assert found is not None and found.id is not None
    await h.drain()
    return found.id


async def _act(h: Harness, case_id: int, action: str, text: str | None = None) -> None:
    [view] = await h.send(CADRE, "/cases")
    if text is None:
        await h.press(CADRE, view, f"cd:{action}:{case_id}")
    else:
        await h.press(CADRE, view, f"cd:{action}:{case_id}")
        await h.send(CADRE, text)
    await h.drain()


def _last_text(h: Harness, chat: int) -> str:
    return h.emu.last(chat).text


async def test_a_named_case_from_report_to_reopening(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "上个月的加班费没有发，车间主任说下个月再说。", "named")
    new_case = next(m for m in h.emu.chat_messages(CADRE) if f"新案件 #{case_id}" in m.text)
    assert "王小明" in new_case.text and "加班费" in new_case.text
    await _act(h, case_id, "ack")
    assert "已受理" in _last_text(h, WANG)
    await _act(h, case_id, "reply", "我们已经联系财务核对。")
    assert "我们已经联系财务核对" in _last_text(h, WANG)
    await _act(h, case_id, "ask", "请说一下加班的具体日期。")
    ask = h.emu.last(WANG)
    assert "具体日期" in ask.text
    [prompt], _ = await h.press(WANG, ask, f"cs:add:{case_id}")
    assert "补充" in prompt.text
    [added] = await h.send(WANG, "10月3日到10月5日，每天加班4小时。")
    assert "已转给" in added.text
    await h.drain()
    assert "10月3日到10月5日" in _last_text(h, CADRE)
    await _act(h, case_id, "resolve", "加班费已补发。")
    resolved = h.emu.last(WANG)
    assert "加班费已补发" in resolved.text
    await h.press(WANG, resolved, f"cs:rate:{case_id}:0")
    await h.drain()
    assert f"案件 #{case_id}" in _last_text(h, ADMIN) and "重新打开" in _last_text(h, ADMIN)
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        trail = await cases.entries(session, case_id)
    assert case is not None and case.status == "escalated" and case.rating == 0
    assert [e.action for e in trail] == [
        "submitted",
        "ack",
        "reply",
        "ask",
        "added_info",
        "resolve",
        "rated",
    ]
    [by_category] = await h.send(CADRE, "/cases 工资待遇")
    assert f"cd:view:{case_id}" in str(by_category.buttons())
    [other_department] = await h.send(CADRE, "/cases 二车间")
    assert f"cd:view:{case_id}" not in str(other_department.buttons())
    [mine] = await h.send(WANG, "/mycases")
    assert f"#{case_id}" in str(mine.buttons()) and "已上报" in str(mine.buttons())


async def test_an_anonymous_case_never_shows_its_reporter(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="handlers")
    caplog.set_level(logging.DEBUG, logger="storage")
    h = harness
    await _people(h)
    case_id = await _report(h, LI, "食堂的饭菜不卫生，有人拉肚子。", "anonymous")
    await _act(h, case_id, "ack")
    await _act(h, case_id, "reply", "已约食堂负责人检查。")
    assert "已约食堂负责人检查" in _last_text(h, LI)
    await _act(h, case_id, "resolve", "食堂已整改。")
    await h.press(LI, h.emu.last(LI), f"cs:rate:{case_id}:1")
    [stats_text] = [m for m in await h.send(CADRE, "/casestats") if m.kind == "text"]
    export = next(m for m in h.emu.chat_messages(CADRE) if m.kind == "document")
    chart = next(m for m in h.emu.chat_messages(CADRE) if m.kind == "photo")
    assert chart.file_bytes is not None and chart.file_bytes.startswith(b"\x89PNG")
    assert export.file_bytes is not None and export.file_name == "cases.xlsx"
    await h.drain()
    secrets = ("李华", "li_hua", str(LI))
    seen_by_others = [m.text + m.html for m in h.emu.sent if m.chat_id != LI]
    for secret in secrets:
        assert not any(secret in text for text in seen_by_others), secret
        assert secret not in export.file_bytes.decode("latin-1")
        assert not any(secret in record.getMessage() for record in caplog.records), secret
    sheet = load_workbook(BytesIO(export.file_bytes)).active
    assert sheet is not None
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["匿名"]
    assert "案件统计" in stats_text.text
    await h.tick()  # erases the delivered relays to the reporter
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        rows = (await session.exec(select(Outbox))).all()
    assert case is not None and case.status == "closed" and case.reporter_member_id is None
    assert not any(row.chat_id == LI for row in rows)  # no trace of whom the relays went to


async def test_no_follow_up_leaves_no_link_and_a_receipt_code(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, LI, "有人在宿舍区骚扰女工。", "no_follow_up")
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        trail = (await session.exec(select(CaseEntry).where(CaseEntry.case_id == case_id))).all()
    assert case is not None and case.reporter_member_id is None and case.anonymous
    assert all(e.cadre_member_id is None for e in trail)
    code = case.code
    assert code in h.emu.last(LI).html
    [status] = await h.send(ZHAO, f"/case {code}")
    assert "待受理" in status.text
    [unknown] = await h.send(ZHAO, "/case NOPE1234")
    assert "没有找到" in unknown.text
    [mine] = await h.send(LI, "/mycases")
    assert "还没有反映过" in mine.text


async def test_sla_reminds_then_escalates_once(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "安全帽不够用。", "named")  # Tuesday 09:30
    h.clock.advance(timedelta(hours=20, minutes=30))  # Wednesday 06:00, 3.5 h before the deadline
    await h.tick()
    await h.drain()
    assert "快到受理时限" in _last_text(h, CADRE)
    h.clock.advance(timedelta(hours=4))  # past the deadline
    await h.tick()
    await h.tick()
    await h.drain()
    missed = [m for m in h.emu.chat_messages(ADMIN) if "超过受理时限" in m.text]
    assert len(missed) == 1 and f"#{case_id}" in missed[0].text


async def test_members_cannot_reach_other_cases_or_the_desk(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, LI, "工资条看不懂。", "anonymous")
    profile = (await h.send(ZHAO, "/me"))[0]
    for forged in (f"cs:my:{case_id}", f"cs:add:{case_id}", f"cs:rate:{case_id}:0"):
        sent, answer = await h.press(ZHAO, profile, forged)
        assert sent == [] and "不是你提交的" in answer["text"]
    for forged in (f"cd:view:{case_id}", f"cd:ack:{case_id}", f"cd:to:{case_id}:1", "cd:list:open"):
        sent, answer = await h.press(ZHAO, profile, forged)
        assert sent == [] and "只有工会干部" in answer["text"]
    for command in ("/cases", "/casestats"):
        [refused] = await h.send(ZHAO, command)
        assert "只有工会干部" in refused.text
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
    assert case is not None and case.status == "submitted"


async def test_bad_report_input_is_answered_and_nothing_is_lost(harness: Harness) -> None:
    h = harness
    await _people(h)
    [ask] = await h.send(WANG, "/report")
    await h.press(WANG, ask, "rp:cat:1")
    _, empty = await h.press(WANG, ask, "rp:done:1")
    assert "还没有写" in empty["text"]
    [sticker] = await h.sticker(WANG)
    assert "贴纸" in sticker.text
    long_text = ("每天从早上七点干到晚上十点，没有加班费。" * 500)[:10_000]
    [noted] = await h.send(WANG, long_text)
    assert "已记下" in noted.text
    [who], _ = await h.press(WANG, noted, "rp:done:1")
    await h.press(WANG, who, "rp:id:named")
    await h.press(WANG, h.emu.last(WANG), "rp:go:send")
    await h.drain()
    delivered = "".join(m.text for m in h.emu.chat_messages(CADRE) if "没有加班费" in m.text)
    assert delivered.count("没有加班费") == long_text.count("没有加班费")  # every word arrived
    async with h.db.read() as session:
        stored = (await session.exec(select(Case))).one()
    assert stored.text == long_text
