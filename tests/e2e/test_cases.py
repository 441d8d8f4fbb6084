"""Cases end to end: named and anonymous lives, the desk's card, relays, SLA, ratings,
privacy, and presses that act once however many taps."""

from __future__ import annotations

import logging
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.cases.callbacks import DetailsDone
from bot.cases.identity import BUTTON_LABELS, Identity
from bot.emulator import SentMessage
from storage import cases
from storage.models import Case, CaseEntry, Outbox
from storage.statuses import CaseStatus
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI, ZHAO, SUN = 70_001, 70_002, 70_003, 70_004, 70_005
WAGES = "工资待遇"


async def _people(h: Harness) -> None:
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, WANG, "王小明", username="wang_xm")
    await register(h, LI, "李华", username="li_hua", department="二车间")
    await register(h, ZHAO, "赵六", department="二车间")


async def _latest_case(h: Harness) -> Case:
    async with h.db.read() as session:
        found = await cases.all_cases(session)
    assert found and found[-1].id is not None
    return found[-1]


async def _report(h: Harness, user: int, text: str, identity: Identity) -> int:
    """File a report through the form, pressing the buttons the bot sent."""
    [ask] = await h.send(user, "/report")
    await h.press_label(user, ask, WAGES)
    [noted] = await h.send(user, text)
    assert says(noted, "report_noted")
    [who], _ = await h.press_key(user, noted, "btn_report_done")
    await h.press_key(user, who, BUTTON_LABELS[identity])
    assert says(h.current(who), "report_summary", category=WAGES)
    await h.press_key(user, who, "btn_report_send")
    case = await _latest_case(h)
    sent = "report_sent" if identity != Identity.NO_FOLLOW_UP else "report_sent_no_follow_up"
    assert says(h.current(who), sent, id=case.id)
    await h.drain()
    assert case.id is not None
    return case.id


async def _card(h: Harness, user: int, case_id: int, which: str = "") -> SentMessage:
    """Open the case's card from /cases (or another list)."""
    [listing] = await h.send(user, f"/cases {which}".strip())
    [card], _ = await h.press_label(user, listing, f"#{case_id} ")
    return card


async def _write(h: Harness, card: SentMessage, key: str, text: str) -> None:
    """A desk action that needs words: the press asks, the words do it."""
    sent, _ = await h.press_key(CADRE, card, key)
    [prompt] = [m for m in sent if m.chat_id == CADRE]  # (an earlier relay may go out too)
    assert says(prompt, "cancel_hint")
    sent = await h.send(CADRE, text)
    said([m for m in sent if m.chat_id == CADRE], "desk_done")
    await h.drain()


def _status(card: SentMessage, status: str, **values: object) -> bool:
    return says(card, "desk_case", status=label(status), **values)


def _labels(message: SentMessage) -> list[str]:
    return [text for text, _ in message.buttons()]


async def test_a_named_case_from_report_to_reopening(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "上个月的加班费没有发，车间主任说下个月再说。", Identity.NAMED)
    said(h.emu.chat_messages(CADRE), "case_new_cadre", id=case_id, who="王小明")
    card = await _card(h, CADRE, case_id)
    assert _status(card, "status_submitted", who="王小明", assignee=label("word_unassigned"))
    # 受理: the card shows the new status and who took it, and no longer offers it.
    await h.press_key(CADRE, card, "btn_act_ack")
    assert _status(h.current(card), "status_acknowledged", assignee="陈干事")
    assert label("btn_act_ack") not in _labels(h.current(card))
    assert says(h.current(card), "desk_entry_cadre", who="陈干事", action=label("action_ack"))
    await h.drain()
    assert says(h.emu.last(WANG), "case_told_ack", id=case_id)
    await _write(h, h.current(card), "btn_act_reply", "我们已经联系财务核对。")
    assert says(h.emu.last(WANG), "case_told_reply", text="我们已经联系财务核对。")
    assert _status(h.current(card), "status_acknowledged")  # redrawn in place after the words
    assert "我们已经联系财务核对" in h.current(card).text
    await _write(h, h.current(card), "btn_act_ask", "请说一下加班的具体日期。")
    ask = h.emu.last(WANG)
    assert says(ask, "case_told_ask", text="请说一下加班的具体日期。")
    [prompt], _ = await h.press_key(WANG, ask, "btn_case_add")
    assert says(prompt, "case_add_prompt", id=case_id)
    [added] = await h.send(WANG, "10月3日到10月5日，每天加班4小时。")
    assert says(added, "case_added", id=case_id)
    await h.drain()
    assert says(h.emu.last(CADRE), "case_reporter_added", text="10月3日到10月5日，每天加班4小时。")
    await _write(h, h.current(card), "btn_act_resolve", "加班费已补发。")
    resolved = h.emu.last(WANG)
    assert says(resolved, "case_told_resolve", text="加班费已补发。")
    assert _labels(resolved) == [label("btn_rate_yes"), label("btn_rate_no")]
    _, answers = await h.double_press(WANG, resolved, label("btn_rate_no"))  # reopened once
    assert says(answers[1]["text"], "action_not_allowed")
    assert says(h.current(resolved), "case_rated_no", id=case_id)
    assert _labels(h.current(resolved)) == [label("btn_case_add")]
    await h.drain()
    assert len([m for m in h.emu.chat_messages(ADMIN) if says(m, "case_reopened_chair")]) == 1
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        trail = await cases.entries(session, case_id)
    assert case is not None and case.status == CaseStatus.ESCALATED and case.rating == 0
    assert [e.action for e in trail] == [
        "submitted",
        "ack",
        "reply",
        "ask",
        "added_info",
        "resolve",
        "rated",
    ]
    await _reopened_as_everyone_sees_it(h, case_id)
    await _added_while_with_the_chair(h, case_id, h.current(resolved))


async def _added_while_with_the_chair(h: Harness, case_id: int, rated: SentMessage) -> None:
    """Reopened, the case is with the chair: what the reporter adds reaches the chair too."""
    await h.press_key(WANG, rated, "btn_case_add")
    [added] = await h.send(WANG, "财务说要下个月才补。")
    assert says(added, "case_added_chair", id=case_id)
    await h.drain()
    for handler in (ADMIN, CADRE):
        assert says(h.emu.last(handler), "case_reporter_added", text="财务说要下个月才补。")


async def _reopened_as_everyone_sees_it(h: Harness, case_id: int) -> None:
    """The reopened case: its status, who handles it, every step with its time and actor;
    in the lists it belongs to, and in the reporter's own."""
    reopened = await _card(h, CADRE, case_id)
    assert _status(reopened, "status_escalated", assignee="陈干事")
    assert says(
        reopened, "desk_entry_cadre", at="11-24 09:30", who="陈干事", action=label("action_ack")
    )
    assert says(reopened, "desk_entry_reporter", action=label("action_rated"))
    assert label("rating_unsatisfied") in reopened.text
    [by_category] = await h.send(CADRE, f"/cases {WAGES}")
    assert f"#{case_id} " in str(by_category.buttons())
    [other_department] = await h.send(CADRE, "/cases 二车间")
    assert f"#{case_id} " not in str(other_department.buttons())
    [mine] = await h.send(WANG, "/mycases")
    assert label("mycase_line", id=case_id, category=WAGES, status=label("status_escalated")) in (
        _labels(mine)
    )


async def test_an_anonymous_case_never_shows_its_reporter(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="handlers")
    caplog.set_level(logging.DEBUG, logger="storage")
    h = harness
    await _people(h)
    case_id = await _report(h, LI, "食堂的饭菜不卫生，有人拉肚子。", Identity.ANONYMOUS)
    card = await _card(h, CADRE, case_id)
    assert _status(card, "status_submitted", who=label("case_anonymous"))
    await h.press_key(CADRE, card, "btn_act_ack")
    await _write(h, h.current(card), "btn_act_reply", "已约食堂负责人检查。")
    assert says(h.emu.last(LI), "case_told_reply", text="已约食堂负责人检查。")
    await _write(h, h.current(card), "btn_act_resolve", "食堂已整改。")
    await h.press_key(LI, h.emu.last(LI), "btn_rate_yes")
    assert says(h.current(h.emu.last(LI)), "case_rated_yes", id=case_id)
    closed = await _card(h, CADRE, case_id, "done")  # the closed card, looked at once more
    assert _status(closed, "status_closed", who=label("case_anonymous"))
    assert _labels(closed) == [label("btn_act_reply")]
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
    assert says(stats_text, "stats_head", total=1)
    await h.tick()  # erases the delivered relays to the reporter
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        rows = (await session.exec(select(Outbox))).all()
    assert case is not None and case.status == CaseStatus.CLOSED
    assert case.reporter_member_id is None
    assert not any(row.chat_id == LI for row in rows)  # no trace of whom the relays went to


async def test_no_follow_up_leaves_no_link_and_a_receipt_code(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, LI, "有人在宿舍区骚扰女工。", Identity.NO_FOLLOW_UP)
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        trail = (await session.exec(select(CaseEntry).where(CaseEntry.case_id == case_id))).all()
    assert case is not None and case.reporter_member_id is None and case.anonymous
    assert all(e.cadre_member_id is None for e in trail)
    code = case.code
    assert code in h.emu.last(LI).html
    [status] = await h.send(ZHAO, f"/case {code}")
    assert says(status, "case_code_status", id=case_id, status=label("status_submitted"))
    [unknown] = await h.send(ZHAO, "/case NOPE1234")
    assert says(unknown, "case_code_unknown", code="NOPE1234")
    [mine] = await h.send(LI, "/mycases")
    assert says(mine, "mycases_none")


async def test_sla_reminds_then_escalates_once(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "安全帽不够用。", Identity.NAMED)  # Tuesday 09:30
    h.clock.advance(timedelta(hours=20, minutes=30))  # Wednesday 06:00, 3.5 h before the deadline
    await h.tick()
    await h.drain()
    assert says(h.emu.last(CADRE), "case_sla_soon_ack", id=case_id)
    h.clock.advance(timedelta(hours=4))  # past the deadline
    await h.tick()
    await h.tick()
    await h.drain()
    missed = [m for m in h.emu.chat_messages(ADMIN) if says(m, "case_sla_missed_ack")]
    assert len(missed) == 1 and says(missed[0], "case_sla_missed_ack", id=case_id)
    # The chair was told it is overdue: every list of overdue cases agrees (7 days to resolve
    # are far off, but it was not accepted in time).
    [overdue] = await h.send(CADRE, "/cases overdue")
    assert [data for text, data in overdue.buttons() if text.startswith(f"#{case_id} ")]
    stats = [m for m in await h.send(CADRE, "/casestats") if m.kind == "photo"]
    assert says(stats[0], "stats_chart_caption", open=1, overdue=1)


async def test_members_cannot_reach_other_cases_or_the_desk(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, LI, "工资条看不懂。", Identity.ANONYMOUS)
    profile = (await h.send(ZHAO, "/me"))[0]
    for forged in (f"cs:my:{case_id}", f"cs:add:{case_id}", f"csr:{case_id}:0"):
        sent, answer = await h.press(ZHAO, profile, forged)
        assert sent == [] and says(answer["text"], "case_not_yours")
    for forged in (f"cd:view:{case_id}", f"cd:ack:{case_id}", f"cdt:{case_id}:1", "cdl:open"):
        sent, answer = await h.press(ZHAO, profile, forged)
        assert sent == [] and says(answer["text"], "not_allowed")
    for command in ("/cases", "/casestats"):
        [refused] = await h.send(ZHAO, command)
        assert says(refused, "not_allowed")
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
    assert case is not None and case.status == CaseStatus.SUBMITTED


async def test_a_forged_desk_press_is_refused_by_the_cases_table(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "车间没有空调。", Identity.NAMED)
    card = await _card(h, CADRE, case_id)
    assert label("btn_act_adopt") not in _labels(card)  # a grievance is not adopted
    for forged in (f"cd:adopt:{case_id}", f"cd:publish:{case_id}", f"cd:progress:{case_id}"):
        sent, answer = await h.press(CADRE, card, forged)
        assert sent == [] and says(answer["text"], "action_not_allowed")
    _, chair_only = await h.press(CADRE, card, f"cd:approve:{case_id}")
    assert says(chair_only["text"], "action_not_allowed")  # not a hardship application either
    async with h.db.read() as session:
        case = await cases.get(session, case_id)
        trail = await cases.entries(session, case_id)
    assert case is not None and case.status == CaseStatus.SUBMITTED and len(trail) == 1


async def test_two_taps_accept_once_and_tell_the_reporter_once(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "更衣室的锁坏了。", Identity.NAMED)
    card = await _card(h, CADRE, case_id)
    _, answers = await h.double_press(CADRE, card, label("btn_act_ack"))
    assert says(answers[0]["text"], "desk_done", id=case_id, action=label("action_ack"))
    assert says(answers[1]["text"], "action_not_allowed")
    await h.drain()
    told = [m for m in h.emu.chat_messages(WANG) if says(m, "case_told_ack")]
    assert len(told) == 1
    async with h.db.read() as session:
        trail = await cases.entries(session, case_id)
    assert [e.action for e in trail] == ["submitted", "ack"]


async def test_assigning_from_the_card_tells_the_cadre_once(harness: Harness) -> None:
    h = harness
    await _people(h)
    await register(h, SUN, "孙干事", username="sun_cadre")
    await appoint(h, "@sun_cadre")
    case_id = await _report(h, WANG, "宿舍热水器坏了。", Identity.NAMED)
    card = await _card(h, CADRE, case_id)
    await h.press_key(CADRE, card, "btn_act_assign")
    assert says(h.current(card), "desk_pick_cadre")  # the card turns into the list of cadres
    await h.press_key(CADRE, card, "btn_back")
    assert _status(h.current(card), "status_submitted")
    await h.press_key(CADRE, card, "btn_act_assign")
    _, answers = await h.double_press(CADRE, card, "孙干事")
    assert says(answers[0]["text"], "desk_done", action=label("action_assign"))
    assert says(answers[1]["text"], "case_already_assigned")
    assert _status(h.current(card), "status_submitted", assignee="孙干事")
    await h.drain()
    assigned = [m for m in h.emu.chat_messages(SUN) if says(m, "case_assigned_to_you")]
    assert len(assigned) == 1 and says(assigned[0], "case_assigned_to_you", id=case_id)


async def test_two_taps_on_submit_file_one_case(harness: Harness) -> None:
    h = harness
    await _people(h)
    [ask] = await h.send(WANG, "/report")
    await h.press_label(WANG, ask, WAGES)
    [noted] = await h.send(WANG, "夜班补贴少发了。")
    [who], _ = await h.press_key(WANG, noted, "btn_report_done")
    await h.press_key(WANG, who, "btn_named")
    _, answers = await h.double_press(WANG, who, label("btn_report_send"))
    assert says(answers[1].get("text") or "", "button_expired")
    async with h.db.read() as session:
        assert len(await cases.all_cases(session)) == 1


async def test_cancel_names_what_was_cancelled(harness: Harness) -> None:
    h = harness
    await _people(h)
    await h.send(WANG, "/report")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_report")
    await h.send(WANG, "/suggest")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_suggestion")
    case_id = await _report(h, WANG, "食堂排队太久。", Identity.NAMED)
    [mine] = await h.send(WANG, "/mycases")
    [own], _ = await h.press_label(WANG, mine, f"#{case_id} ")
    assert says(own, "case_header", id=case_id, status=label("status_submitted"))
    await h.press_key(WANG, own, "btn_case_add")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_case_add")
    card = await _card(h, CADRE, case_id)
    await h.press_key(CADRE, card, "btn_act_reply")
    [cancelled] = await h.send(CADRE, "/cancel")
    assert says(cancelled, "cancel_case_reply")
    async with h.db.read() as session:
        assert len(await cases.entries(session, case_id)) == 1


async def test_bad_report_input_is_answered_and_nothing_is_lost(harness: Harness) -> None:
    h = harness
    await _people(h)
    [ask] = await h.send(WANG, "/report")
    category = h.button_data(ask, "工时加班")
    await h.press(WANG, ask, category)
    _, empty = await h.press(WANG, ask, DetailsDone().pack())  # nothing written yet
    assert says(empty["text"], "report_empty")
    [first] = await h.send(WANG, "先写一句。")
    _, stale = await h.press(WANG, ask, category)  # the category is chosen already
    assert says(stale["text"], "button_expired")
    [sticker] = await h.sticker(WANG)
    assert says(sticker, "report_unsupported")
    long_text = ("每天从早上七点干到晚上十点，没有加班费。" * 500)[:10_000]
    [noted] = await h.send(WANG, long_text)
    assert says(noted, "report_noted")
    [who], _ = await h.press_key(WANG, noted, "btn_report_done")
    await h.press_key(WANG, who, "btn_named")
    await h.press_key(WANG, who, "btn_report_send")
    await h.drain()
    delivered = "".join(m.text for m in h.emu.chat_messages(CADRE) if "没有加班费" in m.text)
    assert delivered.count("没有加班费") == long_text.count("没有加班费")  # every word arrived
    async with h.db.read() as session:
        stored = (await session.exec(select(Case))).one()
    assert stored.text == "先写一句。\n\n" + long_text
    assert first.buttons()  # 「写好了」 under each part
    card = await _card(h, CADRE, stored.id or 0)  # a 10,000-character case fits its card
    assert says(card, "desk_case", id=stored.id)
