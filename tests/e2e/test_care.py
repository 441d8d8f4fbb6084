"""Care and participation: life events, visits over the cap, hardship aid, suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.care.kinds import KINDS, CareEvent
from bot.emulator import SentMessage
from storage import cases
from storage.models import Case, Visit
from storage.statuses import CaseKind, CaseStatus, VisitStatus
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI = 95_001, 95_002, 95_003


async def _people(h: Harness) -> int:
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await appoint(h, "@chen_cadre")
    await register(h, WANG, "王小明")
    await register(h, LI, "李华")
    group = h.emu.group("一车间群", members=[CADRE, WANG, LI])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 一车间", chat_id=group)
    return group


async def _latest(h: Harness, kind: CaseKind) -> Case:
    async with h.db.read() as session:
        found = [c for c in await cases.all_cases(session) if c.kind == kind]
    assert found and found[-1].id is not None
    return found[-1]


async def _life_event(
    h: Harness, user: int, event: CareEvent, details: str, *, share: bool | None
) -> int:
    [ask] = await h.send(user, "/lifeevent")
    await h.press_key(user, ask, KINDS[event])  # the question is edited in place
    await h.press_key(user, ask, "btn_care_self")
    [question] = await h.send(user, details)
    if share is not None:
        assert says(question, "care_ask_share")
        await h.press_key(user, question, "btn_share_yes" if share else "btn_share_no")
    assert says(h.current(question), "care_summary", details=details)
    _, answers = await h.double_press(user, question, label("btn_report_send"))
    assert says(answers[1].get("text") or "", "button_expired")  # told once
    case = await _latest(h, CaseKind.LIFE_EVENT)
    assert says(h.current(question), "care_sent", id=case.id)
    await h.drain()
    assert case.id is not None
    return case.id


async def _card(h: Harness, user: int, case_id: int) -> SentMessage:
    [listing] = await h.send(user, "/cases")
    [card], _ = await h.press_label(user, listing, f"#{case_id} ")
    return card


def _labels(message: SentMessage) -> list[str]:
    return [text for text, _ in message.buttons()]


async def test_a_wedding_is_announced_with_consent_and_an_illness_never(harness: Harness) -> None:
    h = harness
    group = await _people(h)
    await _life_event(h, WANG, CareEvent.WEDDING, "12月1日在老家办酒", share=True)
    await _life_event(h, LI, CareEvent.ILLNESS, "在市一医院住院，3楼12床", share=None)
    in_group = h.emu.chat_messages(group)
    assert len([m for m in in_group if says(m, "care_announce_wedding", name="王小明")]) == 1
    assert not any("李华" in m.text or "医院" in m.text for m in in_group)
    assert any("市一医院" in m.text for m in h.emu.chat_messages(CADRE))  # the cadre gets the task
    # Cadres read the event's kind, in their language, not the stored "illness".
    [new_case] = [m for m in h.emu.chat_messages(CADRE) if "市一医院" in m.text]
    assert says(new_case, "case_new_cadre") and label("care_kind_illness") in new_case.text
    card = await _card(h, CADRE, (await _latest(h, CaseKind.LIFE_EVENT)).id or 0)
    assert label("care_kind_illness") in card.text and "illness" not in card.text


async def test_a_visit_over_the_cap_needs_the_chairs_approval_once(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _life_event(h, LI, CareEvent.ILLNESS, "在市一医院住院", share=None)
    card = await _card(h, CADRE, case_id)
    [prompt], _ = await h.press_key(CADRE, card, "btn_act_visit")
    assert says(prompt, "visit_prompt", id=case_id)
    [bad] = await h.send(CADRE, "水果")
    assert says(bad, "visit_bad")
    [pending] = await h.send(CADRE, "800 水果和慰问金")
    assert says(pending, "visit_pending", amount=800)
    assert says(h.current(card), "desk_entry_cadre", who="陈干事", action=label("action_visit"))
    await h.drain()
    ask = said(h.emu.chat_messages(ADMIN), "care_over_cap", id=case_id)
    approve = h.button_data(ask, label("btn_visit_approve"))
    sent, refused = await h.press(CADRE, ask, approve)  # a cadre is not the chair
    assert sent == [] and says(refused["text"], "admin_only")
    prompts, _ = await h.double_press(ADMIN, ask, label("btn_visit_approve"))
    assert len([m for m in prompts if says(m, "visit_reason")]) == 1  # asked once
    # (the note to the cadre may go out at once too)
    [done] = [m for m in await h.send(ADMIN, "病情较重，委员会同意") if m.chat_id == ADMIN]
    assert says(done, "visit_approved")
    _, again = await h.press_key(ADMIN, ask, "btn_visit_approve")
    assert says(again["text"], "action_not_allowed")
    await h.drain()
    told = [m for m in h.emu.chat_messages(CADRE) if says(m, "visit_told_approved")]
    assert len(told) == 1 and says(told[0], "visit_told_approved", reason="病情较重，委员会同意")
    async with h.db.read() as session:
        visit = (await session.exec(select(Visit))).one()
    assert visit.status == VisitStatus.APPROVED
    assert visit.approval_reason == "病情较重，委员会同意"
    [stats] = await h.send(CADRE, "/carestats")
    kind = label("care_kind_illness")
    assert says(stats, "carestats_kind", kind=kind, visits=1, spent=800)
    by_department = stats.text.index(label("carestats_by_department"))  # headed, not a stray line
    [department_line] = stats.text[by_department:].splitlines()[1:]
    assert department_line.startswith("· ") and department_line.endswith("：1")


async def test_cancel_names_each_care_conversation(harness: Harness) -> None:
    h = harness
    await _people(h)
    await h.send(WANG, "/lifeevent")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_life_event")
    await h.send(WANG, "/hardship")
    [cancelled] = await h.send(WANG, "/cancel")
    assert says(cancelled, "cancel_hardship")
    case_id = await _life_event(h, LI, CareEvent.BEREAVEMENT, "父亲去世", share=None)
    card = await _card(h, CADRE, case_id)
    await h.press_key(CADRE, card, "btn_act_visit")
    [cancelled] = await h.send(CADRE, "/cancel")
    assert says(cancelled, "cancel_visit")
    await h.press_key(CADRE, card, "btn_act_visit")
    await h.send(CADRE, "3000 花圈和慰问金")
    await h.drain()
    ask = said(h.emu.chat_messages(ADMIN), "care_over_cap", id=case_id)
    await h.press_key(ADMIN, ask, "btn_visit_approve")
    [cancelled] = await h.send(ADMIN, "/cancel")
    assert says(cancelled, "cancel_visit_approval")
    async with h.db.read() as session:
        visit = (await session.exec(select(Visit))).one()
    assert visit.status == VisitStatus.PENDING


async def test_hardship_aid_from_application_to_approval(harness: Harness) -> None:
    h = harness
    await _people(h)
    await h.send(WANG, "/hardship")
    [checklist] = await h.send(WANG, "爱人重病，家里收入只有我一人。")
    assert says(checklist, "hardship_docs")
    await h.press_label(WANG, checklist, "申请书")
    await h.press_label(WANG, checklist, "家庭收入证明")
    assert "✅ 申请书" in _labels(h.current(checklist))
    _, answers = await h.double_press(WANG, checklist, label("btn_report_send"))
    assert says(answers[1].get("text") or "", "button_expired")
    await h.drain()
    case = await _latest(h, CaseKind.HARDSHIP)
    assert says(h.current(checklist), "hardship_sent", id=case.id)
    assert "申请书、家庭收入证明" in case.text
    async with h.db.read() as session:
        assert len([c for c in await cases.all_cases(session) if c.kind == CaseKind.HARDSHIP]) == 1
    [refused] = await h.send(LI, "/cases")
    assert says(refused, "not_allowed")
    profile = (await h.send(LI, "/me"))[0]
    _, forged = await h.press(LI, profile, f"cd:view:{case.id}")
    assert says(forged["text"], "not_allowed")
    card = await _card(h, CADRE, case.id or 0)
    assert label("btn_act_approve") not in _labels(card)  # the chair's, not a cadre's
    _, chair_only = await h.press(CADRE, card, f"cd:approve:{case.id}")
    assert says(chair_only["text"], "admin_only")
    chair_card = await _card(h, ADMIN, case.id or 0)
    await h.press_key(ADMIN, chair_card, "btn_act_approve")
    assert says(h.current(chair_card), "desk_case", status=label("status_approved"))
    await h.drain()
    assert says(h.emu.last(WANG), "case_told_approve", id=case.id)
    h.clock.advance(timedelta(days=366))
    await h.tick()
    await h.tick()
    await h.drain()
    assert sum(says(m, "care_recheck") for m in h.emu.chat_messages(CADRE)) == 1


async def test_a_suggestion_adopted_published_once_and_co_signed_once(harness: Harness) -> None:
    h = harness
    group = await _people(h)
    [ask] = await h.send(WANG, "/suggest")
    assert says(ask, "suggest_ask")
    [noted] = await h.send(WANG, "建议在车间门口装一个饮水机。")
    [who], _ = await h.press_key(WANG, noted, "btn_report_done")
    await h.press_key(WANG, who, "btn_anonymous")
    await h.press_key(WANG, who, "btn_report_send")
    await h.drain()
    case = await _latest(h, CaseKind.SUGGESTION)
    card = await _card(h, CADRE, case.id or 0)
    assert label("btn_act_publish") not in _labels(card)
    _, early = await h.press(CADRE, card, f"cd:publish:{case.id}")
    assert says(early["text"], "action_not_allowed")
    await h.press_key(CADRE, card, "btn_act_adopt")
    await h.drain()
    assert says(h.emu.last(WANG), "case_told_adopt", id=case.id)
    _, answers = await h.double_press(CADRE, card, label("btn_act_publish"))
    assert says(answers[0]["text"], "suggestion_published")
    assert says(answers[1]["text"], "action_not_allowed")
    assert says(h.current(card), "desk_case", status=label("status_published"))
    await h.drain()
    [post] = [m for m in h.emu.chat_messages(group) if says(m, "suggestion_post")]  # posted once
    assert "王小明" not in post.text  # an anonymous suggestion stays anonymous in the group
    _, signed = await h.press_key(LI, post, "btn_support")
    _, again = await h.press_key(LI, post, "btn_support")
    assert says(signed["text"], "support_signed") and says(again["text"], "support_already")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert says(h.current(post), "suggestion_post", count=1)
    [mine] = await h.send(WANG, "/mycases")
    assert label("status_published") in str(mine.buttons())  # 已采纳并公示
    async with h.db.read() as session:
        assert await cases.supporters(session, case.id or 0) == 1
        fresh = await cases.get(session, case.id or 0)
    assert fresh is not None and fresh.status == CaseStatus.PUBLISHED
