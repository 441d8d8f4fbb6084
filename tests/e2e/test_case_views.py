"""What cadres and members see of cases: /casestats says 「暂无」 until something is closed,
keeps categories and departments in two headed lists, and exports in the reader's
language; `/case 3` opens case #3 for a cadre, and only one's own case for a member."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.cases.identity import Identity
from bot.emulator import SentMessage
from storage import members
from tests.e2e.catalogue import label, says
from tests.e2e.conftest import ADMIN
from tests.e2e.harness import Harness
from tests.e2e.test_cases import CADRE, LI, WAGES, WANG, ZHAO, _people, _report

pytestmark = pytest.mark.e2e


async def _stats(h: Harness, user: int) -> tuple[SentMessage, SentMessage, SentMessage]:
    sent = [m for m in await h.send(user, "/casestats") if m.chat_id == user]
    [text] = [m for m in sent if m.kind == "text"]
    [chart] = [m for m in sent if m.kind == "photo"]
    [export] = [m for m in sent if m.kind == "document"]
    return text, chart, export


async def test_casestats_with_nothing_closed_and_two_headed_lists(harness: Harness) -> None:
    h = harness
    await _people(h)
    await _report(h, WANG, "加班费没有发。", Identity.NAMED)
    await _report(h, LI, "宿舍热水器坏了。", Identity.NAMED)
    text, chart, _ = await _stats(h, CADRE)
    none = label("stats_none")
    assert says(text, "stats_head", ack=none, resolve=none, satisfaction=none)  # not 「0/0」
    assert label("word_none") not in text.text and "小时" not in text.text
    category_head = text.text.index(label("stats_by_category"))
    department_head = text.text.index(label("stats_by_department"))
    assert category_head < text.text.index(WAGES) < department_head
    assert (
        text.text.index("一车间") > department_head and text.text.index("二车间") > department_head
    )
    assert chart.text and chart.text != label("stats_chart_title")  # the caption adds, not repeats
    assert says(chart, "stats_chart_caption", open=2, overdue=0)


async def test_the_export_speaks_the_readers_language(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "加班费没有发。", Identity.NAMED)
    _, _, export = await _stats(h, CADRE)
    assert export.file_bytes is not None
    sheet = load_workbook(BytesIO(export.file_bytes)).active
    assert sheet is not None and sheet.title == label("sheet_cases")
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == (label("col_id"), label("col_category"), label("col_department"),
                           label("col_status"))  # fmt: skip
    assert rows[1][0] == case_id and rows[1][1] == WAGES
    assert rows[1][3] == label("status_submitted") and rows[1][3] != "submitted"
    assert isinstance(rows[1][5], datetime)  # a real date, shown in the reader's own format
    # The chair reads English: headers, status and category in English.
    async with h.db.begin() as session:
        chair = await members.get_by_telegram_id(session, ADMIN)
        assert chair is not None
        await members.update(session, chair, now=h.clock.now(), language="en")
    _, _, english = await _stats(h, ADMIN)
    assert english.file_bytes is not None
    sheet = load_workbook(BytesIO(english.file_bytes)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == label("col_status", "en")
    assert rows[1][3] == label("status_submitted", "en")
    assert rows[1][1] == "Pay and benefits"
    text, _, _ = await _stats(h, ADMIN)
    assert says(text, "stats_head", "en", ack=label("stats_none", "en"))


async def test_case_number_opens_the_card_for_a_cadre_only(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _report(h, WANG, "加班费没有发。", Identity.NAMED)
    [card] = await h.send(CADRE, f"/case {case_id}")
    assert says(card, "desk_case", id=case_id, who="王小明", status=label("status_submitted"))
    assert label("btn_act_ack") in str(card.buttons())
    [hashed] = await h.send(CADRE, f"/case #{case_id}")
    assert says(hashed, "desk_case", id=case_id)
    [missing] = await h.send(CADRE, "/case 999")
    assert says(missing, "case_unknown")
    # A member sees their own case by its number, and nobody else's.
    [own] = await h.send(WANG, f"/case {case_id}")
    assert says(own, "case_header", id=case_id) and "加班费没有发" in own.text
    [other] = await h.send(ZHAO, f"/case {case_id}")
    assert says(other, "case_not_yours") and "加班费" not in other.text
    # Receipt codes still work for anyone.
    code_case = await _report(h, LI, "宿舍有人骚扰。", Identity.NO_FOLLOW_UP)
    code = h.emu.last(LI).html.split("<code>")[1].split("</code>")[0]
    [status] = await h.send(ZHAO, f"/case {code}")
    assert says(status, "case_code_status", id=code_case)
    [letters] = await h.send(CADRE, "/case NOPE1234")
    assert says(letters, "case_code_unknown", code="NOPE1234")
