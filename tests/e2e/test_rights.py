"""Rights Q&A end to end: asking, related questions, rating, the hand-off to a cadre, the
cadre's answer saved to the knowledge base, /kb editing, /kbstats, English."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from bot.emulator import SentMessage
from bot.rights.callbacks import RelatedPress
from bot.rights.entries import shipped
from storage import rights
from storage.models import Case, KbQuestion
from storage.statuses import CaseKind, KbAction
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI, AMY = 71_001, 71_002, 71_003, 71_004
OWN_WORDS = "我们车间周六加班，厂里只给调休不给加班费，这样合法吗"


async def _people(h: Harness) -> None:
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, WANG, "王小明")
    await register(h, LI, "李华", department="二车间")


def _labels(message: SentMessage) -> list[str]:
    return [text for text, _ in message.buttons()]


def _related(message: SentMessage) -> list[tuple[str, RelatedPress]]:
    """The related questions under an answer, with what each button carries."""
    found = []
    for text, data in message.buttons():
        press = RelatedPress.parse(data)
        if press is not None:
            found.append((text, press))
    return found


async def _consultations(h: Harness) -> list[Case]:
    async with h.db.read() as session:
        query = select(Case).where(Case.kind == CaseKind.CONSULTATION).order_by(col(Case.id))
        return list((await session.exec(query)).all())


async def _open_case(h: Harness, case_id: int) -> SentMessage:
    """The cadre opens a case from the desk's list."""
    [desk] = await h.send(CADRE, "/cases")
    [view], _ = await h.press_label(CADRE, desk, f"#{case_id} ")
    return view


async def test_ask_answer_related_handoff_cadre_answer_saved_and_found(harness: Harness) -> None:
    h = harness
    await _people(h)
    # Ask with /ask: the answer cites the statute and says what to do next.
    [answer] = await h.send(WANG, "/ask 加班费怎么算")
    assert "加班费的计算" not in answer.text  # the title is the question, not the topic
    assert says(answer, "kb_citations") and "《劳动法》第四十四条" in answer.text
    assert "300%" in answer.text and says(answer, "kb_help_routes")
    # On a phone: rating and the union on one row, then related questions of the same subject.
    first_row = [text for text, _ in answer.buttons()][:3]
    assert first_row == [
        label("btn_kb_helpful"),
        label("btn_kb_not_helpful"),
        label("btn_kb_handoff"),
    ]
    related = _related(answer)
    assert 1 <= len(related) <= 2
    # A related question's button opens that answer.
    text, _ = related[0]
    [second], _ = await h.press_label(WANG, answer, text)
    assert text.removeprefix("❓ ") in second.text and says(second, "kb_citations")
    # Not helpful, then hand it to the union in the member's own words.
    _, rated = await h.press_key(WANG, second, "btn_kb_not_helpful")
    assert says(rated["text"], "kb_thanks_not_helpful")
    [preview], _ = await h.press_key(WANG, second, "btn_kb_handoff")
    assert says(preview, "kb_handoff_preview")
    [added] = await h.send(WANG, OWN_WORDS)
    assert says(added, "kb_details_added")
    replies, _ = await h.press_key(WANG, added, "btn_kb_send_named")
    # (the cadres' notice of the new case may already be out too: it goes by the outbox)
    [case] = await _consultations(h)
    sent = said([m for m in replies if m.chat_id == WANG], "kb_handoff_sent", id=case.id)
    assert f"咨询 #{case.id}" in sent.text  # a consultation, not a 案件
    assert case.id is not None and OWN_WORDS in case.text and case.category == "权益咨询"
    assert "提问人认为没有解决" in case.text  # they pressed 👎
    await h.drain()
    note = next(m for m in h.emu.chat_messages(CADRE) if f"#{case.id}" in m.text)
    assert "王小明" in note.text and OWN_WORDS in note.text
    # Another member cannot press the first member's buttons.
    _, refused = await h.press_key(LI, second, "btn_kb_helpful")
    assert says(refused["text"], "kb_not_yours")
    # The cadre answers through the desk; the member receives it.
    view = await _open_case(h, case.id)
    # A consultation's category is its kind: said once.
    assert view.text.splitlines()[0].count("权益咨询") == 1
    _, early = await h.press_key(CADRE, view, "btn_act_kbsave")
    assert says(early["text"], "kb_reply_first")
    await h.press_key(CADRE, view, "btn_act_reply")
    cadre_answer = (
        "休息日加班不能安排补休的，要按不低于工资的200%支付加班费；"
        "厂里已安排补休的可以不付。先和车间核对补休记录，工会陪你去。"
    )
    await h.send(CADRE, cadre_answer)
    await h.drain()
    assert "200%" in h.emu.last(WANG).text
    # The cadre saves the answer to the knowledge base, adding the statute.
    [form], _ = await h.press_key(CADRE, view, "btn_act_kbsave")
    assert says(form, "kb_form_save_intro") and OWN_WORDS in form.text and "200%" in form.text
    [missing] = await h.send(CADRE, f"问：{OWN_WORDS}\n答：{cadre_answer}\n依据：")
    assert says(missing, "kb_needs_citation")  # kept in the form's conversation
    [saved] = await h.send(
        CADRE, f"问：{OWN_WORDS}\n答：{cadre_answer}\n依据：《劳动法》第四十四条\n标签：加班、调休"
    )
    assert says(saved, "kb_saved")
    # The same question now finds the cadre's answer, with its citation.
    [again] = await h.send(WANG, OWN_WORDS)
    assert "工会陪你去" in again.text and "《劳动法》第四十四条" in again.text
    async with h.db.read() as session:
        revision = (await rights.revisions_in_force(session))[-1]
    assert revision.case_id == case.id and revision.action == KbAction.ADD


async def test_an_unsure_question_offers_the_union_and_an_anonymous_handoff_hides_the_asker(
    harness: Harness,
) -> None:
    h = harness
    await _people(h)
    [unsure] = await h.send(WANG, "公司的规定我不认同")
    assert says(unsure, "kb_not_sure") and label("btn_kb_handoff") in _labels(unsure)
    [preview], _ = await h.press_key(WANG, unsure, "btn_kb_handoff")
    # Two taps in flight on 匿名发给工会: one case, one confirmation.
    replies, answers = await h.double_press(WANG, preview, label("btn_kb_send_anonymous"))
    [filed] = await _consultations(h)
    [sent] = [m for m in replies if m.chat_id == WANG]
    assert says(sent, "kb_handoff_sent", id=filed.id)
    assert says(answers[1]["text"], "button_expired")
    assert "认为没有解决" not in filed.text  # asking the union is no verdict on an answer
    await h.drain()
    note = h.emu.last(CADRE)
    assert "公司的规定我不认同" in note.text and "王小明" not in note.text
    # Pressing the hand-off again does not file a second case.
    _, again = await h.press_key(WANG, unsure, "btn_kb_handoff")
    assert says(again["text"], "kb_already_sent", id=filed.id)
    assert len(await _consultations(h)) == 1
    # Once the anonymous case closes, nothing ties the question to the member any more.
    assert filed.id is not None
    view = await _open_case(h, filed.id)
    await h.press_key(CADRE, view, "btn_act_resolve")
    await h.send(CADRE, "规章制度要经过民主程序并公示，工会已向公司提出意见。")
    await h.drain()
    await h.press_key(WANG, h.emu.last(WANG), "btn_rate_yes")
    await h.tick()
    async with h.db.read() as session:
        question = (await session.exec(select(KbQuestion))).one()
    assert question.case_id == filed.id and question.member_id is None
    _, after = await h.press_key(WANG, unsure, "btn_kb_handoff")
    assert says(after["text"], "kb_already_sent", id=filed.id)


async def test_cancel_a_handoff_or_a_bare_ask_in_their_own_words(harness: Harness) -> None:
    h = harness
    await _people(h)
    [unsure] = await h.send(WANG, "公司的规定我不认同")
    [preview], _ = await h.press_key(WANG, unsure, "btn_kb_handoff")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_handoff")
    _, gone = await h.press_key(WANG, preview, "btn_kb_send_named")
    assert says(gone["text"], "button_expired") and await _consultations(h) == []
    await h.send(WANG, "/ask")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_ask")
    await h.send(CADRE, "/kb add")
    [cancelled] = await h.send(CADRE, "/cancel")
    assert says(cancelled, "cancel_kb_edit")


async def test_free_text_is_a_question_only_outside_a_conversation(harness: Harness) -> None:
    h = harness
    await _people(h)
    [answer] = await h.send(WANG, "被公司违法辞退能赔多少")
    assert "《劳动合同法》第四十八条" in answer.text
    [prompt] = await h.send(WANG, "/ask")
    assert says(prompt, "kb_ask_prompt")
    [hint] = await h.sticker(WANG)
    assert says(hint, "text_expected")  # still waiting for the question
    [answer] = await h.send(WANG, "生娃能休几个月")
    assert "98 天" in answer.text and "《女职工劳动保护特别规定》第七条" in answer.text
    [hello] = await h.send(WANG, "你好")
    assert says(hello, "chat_hello")  # small talk, answered as such
    h.emu.user(79_999, "路人")
    [guest] = await h.send(79_999, "/ask 加班费怎么算")
    assert says(guest, "register_first")


async def test_english_questions_get_english_answers_or_say_they_are_chinese(
    harness: Harness,
) -> None:
    h = harness
    await register(h, AMY, "Amy", language="English", language_code="en")
    await register(h, WANG, "王小明")
    [answer] = await h.send(AMY, "How is overtime paid on a weekend?")
    assert "at least 200%" in answer.text
    assert says(answer, "kb_citations", "en", citations="Labour Law, Art. 44")
    assert _labels(answer)[0] == label("btn_kb_helpful", "en")
    # Every shipped entry has English: a Chinese question from an English member is answered
    # in English too.
    [chinese] = await h.send(AMY, "/ask 高温补贴有多少钱")
    assert "high-temperature allowance" in chinese.text and "35℃" in chinese.text
    assert not says(chinese, "kb_only_chinese", "en")
    # A Chinese-speaking member who asks in English is answered in English, and so are the
    # related questions they press from there.
    [english] = await h.send(WANG, "Can I refuse an order that is unsafe?")
    assert "not a breach of your contract" in english.text
    related = _related(english)
    assert related and all(press.english for _, press in related)


async def test_cadres_edit_retire_restore_and_read_the_history_and_figures(
    harness: Harness,
) -> None:
    h = harness
    await _people(h)
    [refused] = await h.send(WANG, "/kb list")
    assert says(refused, "not_allowed")
    [listing] = await h.send(CADRE, "/kb list")
    count = len(shipped())
    assert says(listing, "kb_list_title", count=count) and "overtime-pay" in listing.text
    [form] = await h.send(CADRE, "/kb edit heat-protection")
    assert says(form, "kb_form_edit_intro", id="heat-protection")
    assert "问：高温补贴有多少钱" in form.text
    edited = (
        "问：高温补贴有多少钱\n问：车间太热有补贴吗\n"
        "答：本省高温津贴每月 300 元，6 月至 9 月发放；车间温度降不到 33℃ 的也要发。\n"
        "依据：《防暑降温措施管理办法》第十七条\n标签：高温、津贴"
    )
    [bad] = await h.send(CADRE, edited.replace("《防暑降温措施管理办法》第十七条", "第十七条"))
    assert says(bad, "kb_bad_citation", citation="第十七条")
    [saved] = await h.send(CADRE, edited)
    assert says(saved, "kb_saved", id="heat-protection")
    [answer] = await h.send(WANG, "车间太热有补贴吗")
    assert "每月 300 元" in answer.text
    [retired] = await h.send(CADRE, "/kb retire heat-protection")
    assert says(retired, "kb_retired", id="heat-protection")
    [gone] = await h.send(WANG, "车间太热有补贴吗")
    assert "每月 300 元" not in gone.text
    # A related-question button for it, drawn before it was retired:
    drawn = RelatedPress(entry_id="heat-protection", english=False).pack()
    _, stale = await h.press(WANG, answer, drawn)
    assert says(stale["text"], "kb_entry_gone")
    await h.send(CADRE, "/kb restore heat-protection")
    [history] = await h.send(CADRE, "/kb history heat-protection")
    assert history.text.count("陈干事") == 3
    for action in ("kb_action_edit", "kb_action_retire", "kb_action_restore"):
        assert says(history, "kb_history_line", action=label(action), who="陈干事")
    [unknown] = await h.send(CADRE, "/kb show no-such-entry")
    assert says(unknown, "kb_unknown_entry", id="no-such-entry")
    # Ratings and gaps reach /kbstats without naming anyone.
    [back] = await h.send(WANG, "车间太热有补贴吗")
    await h.press_key(WANG, back, "btn_kb_helpful")
    await h.send(LI, "单位的体检报告能不能要求给我一份")  # a rights question with no entry
    await h.send(LI, "食堂的饭菜太咸了")  # not a rights question: no entry to write
    [figures] = await h.send(CADRE, "/kbstats")
    assert says(figures, "kbstats_rated_line", title="高温补贴有多少钱", yes=1)
    assert says(figures, "kbstats_gap_line") and "单位的体检报告能不能要求给我一份" in figures.text
    assert "食堂的饭菜太咸了" not in figures.text
    assert "王小明" not in figures.text and "李华" not in figures.text
    async with h.db.read() as session:
        rated = (await session.exec(select(KbQuestion).where(col(KbQuestion.helpful)))).all()
    assert [q.entry_id for q in rated] == ["heat-protection"]
