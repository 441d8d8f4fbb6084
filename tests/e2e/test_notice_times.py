"""A cadre schedules a notice by typing a time the way people say it (issue 14): the form
accepts it, the summary shows the moment it understood, a past time is refused with the
reason and the form keeps what was typed before, and the prompt's example is a future date."""

from __future__ import annotations

import pytest

from bot.emulator import SentMessage
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE = 41_001
BODY = "本周五下午在食堂门口发放防暑降温用品，请各班组派人领取。"


async def _ask_when(h: Harness) -> SentMessage:
    """Everything up to the question of when, the way a cadre fills it in."""
    await register(h, CADRE, "陈主席", username="chen_times", department="一车间")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_times")
    await register(h, 41_002, "刘工", department="二车间")
    await h.send(CADRE, "/notice")
    [ask_target] = await h.send(CADRE, BODY)
    [ask_ack], _ = await h.press_key(CADRE, ask_target, "btn_target_all_members")
    [question], _ = await h.press_key(CADRE, ask_ack, "btn_ack_required")
    if says(question, "notice_ask_pin"):
        [question], _ = await h.press_key(CADRE, question, "btn_no_pin")
    assert says(question, "notice_ask_when")
    return question


# The harness's clock stands at Tuesday 2026-11-24 09:30 in Shanghai.
@pytest.mark.parametrize(
    ("typed", "understood"),
    [
        ("今晚八点", "2026-11-24 20:00"),
        ("明早8点", "2026-11-25 08:00"),
        ("明天下午3点", "2026-11-25 15:00"),
        ("后天 14:30", "2026-11-26 14:30"),
        ("下周一上午9点", "2026-11-30 09:00"),
        ("周五 17:00", "2026-11-27 17:00"),
        ("12月5日 8:00", "2026-12-05 08:00"),
        ("2026-12-05 08:00", "2026-12-05 08:00"),
        ("半小时后", "2026-11-24 10:00"),
        ("两小时后", "2026-11-24 11:30"),
    ],
)
async def test_a_time_typed_as_people_say_it_schedules_the_notice(
    harness: Harness, typed: str, understood: str
) -> None:
    h = harness
    await _ask_when(h)
    sent = await h.send(CADRE, typed)
    assert says(sent[0], "notice_preview_intro"), sent
    summary = sent[-1]
    assert says(summary, "notice_summary")
    await h.press_key(CADRE, summary, "btn_notice_send")
    assert says(h.current(summary), "notice_scheduled", when=understood)


async def test_a_past_time_is_refused_with_the_reason_and_the_form_goes_on(
    harness: Harness,
) -> None:
    h = harness
    question = await _ask_when(h)
    assert "11月27日 14:30" in question.text  # the example is three days ahead, never past
    [past] = await h.send(CADRE, "今天早上8点")
    assert says(past, "when_past")
    [unknown] = await h.send(CADRE, "改天吧")
    assert says(unknown, "when_bad_format")
    sent = await h.send(CADRE, "今晚八点")
    assert says(sent[-1], "notice_summary") and BODY in sent[1].text
