"""Rights Q&A end to end: asking, related questions, rating, the hand-off to a cadre, the
cadre's answer saved to the knowledge base, /kb editing, /kbstats, English."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage import rights
from storage.models import Case, KbQuestion
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI, AMY = 71_001, 71_002, 71_003, 71_004
OWN_WORDS = "我们车间周六加班，厂里只给调休不给加班费，这样合法吗"


async def _people(h: Harness) -> None:
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await h.send(ADMIN, "/cadre add @chen_cadre")
    await register(h, WANG, "王小明")
    await register(h, LI, "李华", department="二车间")


def _labels(message: object) -> list[str]:
    return [label for label, _ in message.buttons()]  # type: ignore[attr-defined]


async def test_ask_answer_related_handoff_cadre_answer_saved_and_found(harness: Harness) -> None:
    h = harness
    await _people(h)
    # Ask with /ask: the answer cites the statute and says what to do next.
    [answer] = await h.send(WANG, "/ask 加班费怎么算")
    assert "加班费的计算" not in answer.text  # the title is the question, not the topic
    assert "《劳动法》第四十四条" in answer.text and "300%" in answer.text
    assert "12351" in answer.text and "怎么办" in answer.text
    labels = _labels(answer)
    assert labels[0].startswith("👍") and labels[-1] == "🙋 没解决，问工会"
    related = [(text, data) for text, data in answer.buttons() if data.startswith("kb:go:")]
    assert 1 <= len(related) <= 3
    # A related question's button opens that answer.
    text, data = related[0]
    [second], _ = await h.press(WANG, answer, data)
    assert text.removeprefix("❓ ") in second.text and "依据" in second.text
    # Not helpful, then hand it to the union in the member's own words.
    _, rated = await h.press_label(WANG, second, "没帮助")
    assert "问工会" in rated["text"]
    [preview], _ = await h.press_label(WANG, second, "没解决，问工会")
    assert "转给工会干部" in preview.text
    [added] = await h.send(WANG, OWN_WORDS)
    assert "已补充" in added.text
    replies, _ = await h.press(WANG, added, "kb:send:named")
    # (the cadres' notice of the new case may already be out too: it goes by the outbox)
    [sent] = [m for m in replies if m.chat_id == WANG]
    assert "已转给工会" in sent.text
    async with h.db.read() as session:
        case = (await session.exec(select(Case).where(Case.kind == "consultation"))).one()
    assert case.id is not None and OWN_WORDS in case.text and case.category == "权益咨询"
    await h.drain()
    note = next(m for m in h.emu.chat_messages(CADRE) if f"#{case.id}" in m.text)
    assert "王小明" in note.text and OWN_WORDS in note.text
    # Another member cannot press the first member's buttons.
    _, refused = await h.press(LI, second, second.buttons()[0][1])
    assert "别人" in refused["text"]
    # The cadre answers through the desk; the member receives it.
    [desk] = await h.send(CADRE, "/cases")
    [view], _ = await h.press(CADRE, desk, f"cd:view:{case.id}")
    _, early = await h.press(CADRE, view, f"cd:kbsave:{case.id}")
    assert "先用「回复」" in early["text"]
    await h.press(CADRE, view, f"cd:reply:{case.id}")
    cadre_answer = (
        "休息日加班不能安排补休的，要按不低于工资的200%支付加班费；"
        "厂里已安排补休的可以不付。先和车间核对补休记录，工会陪你去。"
    )
    await h.send(CADRE, cadre_answer)
    await h.drain()
    assert "200%" in h.emu.last(WANG).text
    # The cadre saves the answer to the knowledge base, adding the statute.
    [form], _ = await h.press(CADRE, view, f"cd:kbsave:{case.id}")
    assert OWN_WORDS in form.text and "200%" in form.text and "依据：" in form.text
    [missing] = await h.send(CADRE, f"问：{OWN_WORDS}\n答：{cadre_answer}\n依据：")
    assert "依据" in missing.text and "无" in missing.text  # kept in the form flow
    [saved] = await h.send(
        CADRE, f"问：{OWN_WORDS}\n答：{cadre_answer}\n依据：《劳动法》第四十四条\n标签：加班、调休"
    )
    assert "已保存条目" in saved.text
    # The same question now finds the cadre's answer, with its citation.
    [again] = await h.send(WANG, OWN_WORDS)
    assert "工会陪你去" in again.text and "《劳动法》第四十四条" in again.text
    async with h.db.read() as session:
        revision = (await rights.revisions_in_force(session))[-1]
    assert revision.case_id == case.id and revision.action == "add"


async def test_an_unsure_question_offers_the_union_and_an_anonymous_handoff_hides_the_asker(
    harness: Harness,
) -> None:
    h = harness
    await _people(h)
    [unsure] = await h.send(WANG, "食堂今天吃什么")
    assert "没有把握" in unsure.text and "🙋 没解决，问工会" in _labels(unsure)
    await h.press_label(WANG, unsure, "问工会")
    replies, _ = await h.press(WANG, h.emu.last(WANG), "kb:send:anonymous")
    [sent] = [m for m in replies if m.chat_id == WANG]
    assert "已转给工会" in sent.text
    await h.drain()
    note = h.emu.last(CADRE)
    assert "食堂今天吃什么" in note.text and "王小明" not in note.text
    # Pressing the hand-off again does not file a second case.
    _, again = await h.press_label(WANG, unsure, "问工会")
    assert "已经转给工会" in again["text"]
    async with h.db.read() as session:
        filed = (await session.exec(select(Case).where(Case.kind == "consultation"))).all()
    assert len(filed) == 1
    # Once the anonymous case closes, nothing ties the question to the member any more.
    [desk] = await h.send(CADRE, "/cases")
    await h.press(CADRE, desk, f"cd:resolve:{filed[0].id}")
    await h.send(CADRE, "食堂菜单每周一贴在公告栏，工会已转告食堂。")
    await h.drain()
    await h.press_label(WANG, h.emu.last(WANG), "满意")
    await h.tick()
    async with h.db.read() as session:
        question = (await session.exec(select(KbQuestion))).one()
    assert question.case_id == filed[0].id and question.member_id is None
    _, after = await h.press_label(WANG, unsure, "问工会")
    assert "已经转给工会" in after["text"]


async def test_free_text_is_a_question_only_outside_a_conversation(harness: Harness) -> None:
    h = harness
    await _people(h)
    [answer] = await h.send(WANG, "被炒鱿鱼了公司要赔钱吗")
    assert "《劳动合同法》" in answer.text
    [prompt] = await h.send(WANG, "/ask")
    assert "写下你的问题" in prompt.text
    [answer] = await h.send(WANG, "生娃能休几个月")
    assert "98 天" in answer.text and "《女职工劳动保护特别规定》第七条" in answer.text
    [hello] = await h.send(WANG, "你好")
    assert "/help" in hello.text
    h.emu.user(79_999, "路人")
    [guest] = await h.send(79_999, "/ask 加班费怎么算")
    assert "/start" in guest.text


async def test_english_questions_get_english_answers_or_say_they_are_chinese(
    harness: Harness,
) -> None:
    h = harness
    await register(h, AMY, "Amy", language="English", language_code="en")
    await register(h, WANG, "王小明")
    [answer] = await h.send(AMY, "How is overtime paid on a weekend?")
    assert "at least 200%" in answer.text and "Legal basis: 《劳动法》第四十四条" in answer.text
    assert "Helpful" in _labels(answer)[0]
    # Every shipped entry has English: a Chinese question from an English member is answered
    # in English too.
    [chinese] = await h.send(AMY, "/ask 高温补贴有多少钱")
    assert "high-temperature allowance" in chinese.text and "35℃" in chinese.text
    assert "only available in Chinese" not in chinese.text
    # A Chinese-speaking member who asks in English is answered in English, and so are the
    # related questions they press from there.
    [english] = await h.send(WANG, "Can I refuse an order that is unsafe?")
    assert "not a breach of your contract" in english.text
    related = [data for _, data in english.buttons() if data.startswith("kb:go:")]
    assert related and all(data.endswith(":en") for data in related)


async def test_cadres_edit_retire_restore_and_read_the_history_and_figures(
    harness: Harness,
) -> None:
    h = harness
    await _people(h)
    [refused] = await h.send(WANG, "/kb list")
    assert "干部" in refused.text
    [listing] = await h.send(CADRE, "/kb list")
    assert "overtime-pay" in listing.text and "81" in listing.text
    [form] = await h.send(CADRE, "/kb edit heat-protection")
    assert "问：高温补贴有多少钱" in form.text
    edited = (
        "问：高温补贴有多少钱\n问：车间太热有补贴吗\n"
        "答：本省高温津贴每月 300 元，6 月至 9 月发放；车间温度降不到 33℃ 的也要发。\n"
        "依据：《防暑降温措施管理办法》第十七条\n标签：高温、津贴"
    )
    [bad] = await h.send(CADRE, edited.replace("《防暑降温措施管理办法》第十七条", "第十七条"))
    assert "不像法条出处" in bad.text
    [saved] = await h.send(CADRE, edited)
    assert "已保存条目" in saved.text
    [answer] = await h.send(WANG, "车间太热有补贴吗")
    assert "每月 300 元" in answer.text
    [retired] = await h.send(CADRE, "/kb retire heat-protection")
    assert "已停用" in retired.text
    [gone] = await h.send(WANG, "车间太热有补贴吗")
    assert "每月 300 元" not in gone.text
    _, stale = await h.press(WANG, answer, "kb:go:heat-protection")
    assert "停用" in stale["text"]
    await h.send(CADRE, "/kb restore heat-protection")
    [history] = await h.send(CADRE, "/kb history heat-protection")
    assert history.text.count("陈干事") == 3
    assert "修改" in history.text and "停用" in history.text and "恢复" in history.text
    [unknown] = await h.send(CADRE, "/kb show no-such-entry")
    assert "/kb list" in unknown.text
    # Ratings and gaps reach /kbstats without naming anyone.
    [back] = await h.send(WANG, "车间太热有补贴吗")
    await h.press_label(WANG, back, "有帮助")
    await h.send(LI, "食堂的饭菜太咸了")
    [figures] = await h.send(CADRE, "/kbstats")
    assert "高温补贴有多少钱" in figures.text and "👍1" in figures.text
    assert "食堂的饭菜太咸了" in figures.text
    assert "王小明" not in figures.text and "李华" not in figures.text
    async with h.db.read() as session:
        rated = (await session.exec(select(KbQuestion).where(KbQuestion.helpful == True))).all()  # noqa: E712
    assert [q.entry_id for q in rated] == ["heat-protection"]
