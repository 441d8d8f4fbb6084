"""What a member is told by the search's verdict, end to end: which of two entries they mean,
near matches and the union when the bot is not sure, 「这不是劳动权益问题」 with the bot's main
tasks, /ask in a workshop group (in the group only if the union allows it), a hand-off as a
咨询, and English everywhere for a member who chose English."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from bot.config import RightsConfig
from bot.emulator import SentMessage
from bot.rights.callbacks import ChoicePress, Task, TaskPress
from storage.models import KbQuestion
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI, AMY = 72_001, 72_002, 72_003, 72_004
PRIVATE_LINK = "https://t.me/unionbridge_bot"


def _english(texts: list[str]) -> bool:
    """No Chinese in any of them (an English member's buttons)."""
    return not any(re.search(r"[\u3400-\u9fff]", text) for text in texts)


def _labels(message: SentMessage) -> list[str]:
    return [text for text, _ in message.buttons()]


def _choices(message: SentMessage) -> list[tuple[str, ChoicePress]]:
    found = []
    for text, data in message.buttons():
        press = ChoicePress.parse(data)
        if press is not None:
            found.append((text, press))
    return found


def _links(message: SentMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [button["url"] for row in rows for button in row if "url" in button]


async def _questions(h: Harness) -> list[KbQuestion]:
    async with h.db.read() as session:
        return list((await session.exec(select(KbQuestion).order_by(col(KbQuestion.id)))).all())


async def test_two_close_entries_are_asked_about_and_the_choice_answers_the_question(
    harness: Harness,
) -> None:
    h = harness
    await register(h, WANG, "王小明")
    await register(h, LI, "李华")
    [which] = await h.send(WANG, "公司裁员有补偿吗")
    assert says(which, "kb_which_one")
    choices = _choices(which)
    assert len(choices) == 2 and label("btn_kb_neither") in _labels(which)
    assert not says(which, "kb_citations")  # no answer is guessed
    # Another member cannot answer it for them.
    text, press = choices[0]
    _, refused = await h.press_label(LI, which, text)
    assert says(refused["text"], "kb_not_yours")
    [answer], _ = await h.press_label(WANG, which, text)
    assert says(answer, "kb_citations") and text.removeprefix("❓ ") in answer.text
    [question] = await _questions(h)
    assert question.entry_id == press.entry_id and question.confident
    # 「都不是，问工会」 takes the member's own words to the union.
    [preview], _ = await h.press_key(WANG, which, "btn_kb_neither")
    assert says(preview, "kb_handoff_preview", question="公司裁员有补偿吗")


async def test_when_not_sure_it_offers_near_matches_and_the_union(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [unsure] = await h.send(WANG, "仲裁")
    assert says(unsure, "kb_not_sure") and says(unsure, "kb_maybe")
    assert 1 <= len(_choices(unsure)) <= 3 and label("btn_kb_handoff") in _labels(unsure)
    text, _ = _choices(unsure)[0]
    [answer], _ = await h.press_label(WANG, unsure, text)
    assert says(answer, "kb_citations") and "《劳动争议调解仲裁法》" in answer.text


async def test_a_question_not_about_rights_says_so_and_offers_the_main_tasks(
    harness: Harness,
) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [canteen] = await h.send(WANG, "食堂今天吃什么")
    assert says(canteen, "kb_not_rights")
    assert label("btn_kb_handoff") not in _labels(canteen)  # no offer to bother the cadres
    assert not says(canteen, "kb_not_sure")
    [report], _ = await h.press_key(WANG, canteen, "btn_task_report")
    assert says(report, "report_ask_category")
    await h.send(WANG, "/cancel")
    [helped], _ = await h.press_key(WANG, canteen, "btn_task_help")
    assert says(helped, "help_member")
    [prompt], _ = await h.press_key(WANG, canteen, "btn_task_ask")
    assert says(prompt, "kb_ask_prompt")
    [answer] = await h.send(WANG, "加班费怎么算")
    assert "《劳动法》第四十四条" in answer.text
    # A forged task press from a guest is refused like any member button.
    h.emu.user(79_998, "路人")
    forged = TaskPress(task=Task.HELP).pack()
    _, guest = await h.press(79_998, canteen, forged)
    assert says(guest["text"], "register_first")


async def _group(h: Harness) -> int:
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await register(h, WANG, "王小明")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    group = h.emu.group("一车间群", members=[CADRE, WANG])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 一车间", chat_id=group)
    return group


async def test_ask_in_a_group_is_answered_privately_with_a_link_by_default(
    harness: Harness,
) -> None:
    h = harness
    group = await _group(h)
    sent = await h.send(WANG, "/ask 加班费怎么算", chat_id=group)
    in_group = [m for m in sent if m.chat_id == group]
    private = [m for m in sent if m.chat_id == WANG]
    [note] = in_group
    assert says(note, "kb_group_answered_privately") and _links(note) == [PRIVATE_LINK]
    assert "《劳动法》第四十四条" not in note.text
    answer = said(private, "kb_citations")
    assert "《劳动法》第四十四条" in answer.text and label("btn_kb_helpful") in _labels(answer)
    # A bare /ask in the group: a link to the private chat, where the question is typed.
    [bare] = await h.send(WANG, "/ask", chat_id=group)
    assert bare.chat_id == group and says(bare, "kb_group_ask_privately")
    assert _links(bare) == [PRIVATE_LINK]
    # /ask is not private information: no 「涉及个人信息」 refusal.
    assert not says(bare, "private_only")


async def test_ask_in_a_group_is_answered_there_when_the_union_allows_it(
    harness: Harness,
) -> None:
    h = harness
    h.config = h.config.model_copy(update={"rights": RightsConfig(answer_in_groups=True)})
    await h.restart()
    group = await _group(h)
    [answer] = await h.send(WANG, "/ask 加班费怎么算", chat_id=group)
    assert answer.chat_id == group and "《劳动法》第四十四条" in answer.text
    # Rating and the hand-off belong to the private chat: the group gets a link there.
    assert _links(answer) == [PRIVATE_LINK] and len(_labels(answer)) == 1
    # A question the bot is not sure of is not guessed at in front of everyone.
    sent = await h.send(WANG, "/ask 仲裁", chat_id=group)
    said([m for m in sent if m.chat_id == group], "kb_group_answered_privately")
    said([m for m in sent if m.chat_id == WANG], "kb_not_sure")
    # Somebody not registered is asked to register first.
    h.emu.user(79_997, "路人")
    [guest] = await h.send(79_997, "/ask 加班费怎么算", chat_id=group)
    assert says(guest, "register_first")


async def test_a_handoff_is_a_consultation(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    [unsure] = await h.send(WANG, "公司的规定我不认同")
    [preview], _ = await h.press_key(WANG, unsure, "btn_kb_handoff")
    replies, _ = await h.press_key(WANG, preview, "btn_kb_send_named")
    sent = said([m for m in replies if m.chat_id == WANG], "kb_handoff_sent")
    assert "咨询 #" in sent.text and "案件" not in sent.text
    _, again = await h.press_key(WANG, unsure, "btn_kb_handoff")
    assert "咨询 #" in again["text"]


async def test_a_member_who_chose_english_gets_english_everywhere(harness: Harness) -> None:
    h = harness
    await register(h, AMY, "Amy", language="English", language_code="en")
    # A Chinese question from an English member: the question back and its buttons in English.
    [which] = await h.send(AMY, "公司裁员有补偿吗")
    assert says(which, "kb_which_one", "en")
    assert _english(_labels(which))
    assert label("btn_kb_neither", "en") in _labels(which)
    text, press = _choices(which)[0]
    assert press.english
    [answer], _ = await h.press_label(AMY, which, text)
    assert says(answer, "kb_citations", "en") and says(answer, "kb_help_routes", "en")
    buttons = _labels(answer)
    assert label("btn_kb_helpful", "en") in buttons and label("btn_kb_handoff", "en") in buttons
    assert _english(buttons)
    [unsure] = await h.send(AMY, "仲裁")
    assert says(unsure, "kb_not_sure", "en") and _english(_labels(unsure))
    [canteen] = await h.send(AMY, "食堂今天吃什么")
    assert says(canteen, "kb_not_rights", "en") and _english(_labels(canteen))
    assert label("btn_task_report", "en") in _labels(canteen)
    [preview], _ = await h.press_label(AMY, unsure, label("btn_kb_handoff", "en"))
    assert says(preview, "kb_handoff_preview", "en")
    replies, _ = await h.press_label(AMY, preview, label("btn_kb_send_named", "en"))
    sent = said([m for m in replies if m.chat_id == AMY], "kb_handoff_sent", "en")
    assert "consultation #" in sent.text
