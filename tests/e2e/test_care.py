"""Care and participation: life events, visits over the cap, hardship aid, suggestions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from storage import cases
from storage.models import Case, Visit
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, WANG, LI = 95_001, 95_002, 95_003


async def _people(h: Harness) -> int:
    await register(h, ADMIN, "周主席", username="chair_zhou")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await h.send(ADMIN, "/cadre add @chen_cadre")
    await register(h, WANG, "王小明")
    await register(h, LI, "李华")
    group = h.emu.group("一车间群", members=[CADRE, WANG, LI])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 一车间", chat_id=group)
    return group


async def _life_event(
    h: Harness, user: int, event: str, details: str, *, share: bool | None
) -> int:
    [ask] = await h.send(user, "/lifeevent")
    await h.press(user, ask, f"le:kind:{event}")  # the question is edited in place
    await h.press(user, ask, "le:who:self")
    sent = await h.send(user, details)
    if share is not None:
        await h.press(user, sent[0], f"le:share:{int(share)}")
    await h.press(user, h.emu.last(user), "le:go:send")
    await h.drain()
    async with h.db.read() as session:
        case = (await session.exec(select(Case).order_by(Case.id.desc()))).first()  # type: ignore[union-attr]
    assert case is not None and case.id is not None and case.kind == "life_event"
    return case.id


async def test_a_wedding_is_announced_with_consent_and_an_illness_never(harness: Harness) -> None:
    h = harness
    group = await _people(h)
    await _life_event(h, WANG, "wedding", "12月1日在老家办酒", share=True)
    await _life_event(h, LI, "illness", "在市一医院住院，3楼12床", share=None)
    texts = [m.text for m in h.emu.chat_messages(group)]
    assert any("恭喜王小明新婚" in text for text in texts)
    assert not any("李华" in text or "医院" in text for text in texts)
    assert any("市一医院" in m.text for m in h.emu.chat_messages(CADRE))  # the cadre gets the task


async def test_a_visit_over_the_cap_needs_the_chairs_approval(harness: Harness) -> None:
    h = harness
    await _people(h)
    case_id = await _life_event(h, LI, "illness", "在市一医院住院", share=None)
    [view] = await h.send(CADRE, "/cases")
    await h.press(CADRE, view, f"cd:visit:{case_id}")
    [bad] = await h.send(CADRE, "水果")
    assert "金额" in bad.text
    await h.press(CADRE, view, f"cd:visit:{case_id}")
    [pending] = await h.send(CADRE, "800 水果和慰问金")
    assert "报主席批准" in pending.text
    await h.drain()
    ask = next(m for m in h.emu.chat_messages(ADMIN) if "超过标准" in m.text)
    sent, refused = await h.press(CADRE, ask, ask.buttons()[-1][1])  # a cadre is not the chair
    assert sent == [] and "只有管理员" in refused["text"]
    await h.press(ADMIN, ask, ask.buttons()[-1][1])
    [done] = await h.send(ADMIN, "病情较重，委员会同意")
    assert "已批准" in done.text
    async with h.db.read() as session:
        visit = (await session.exec(select(Visit))).one()
    assert visit.status == "approved" and visit.approval_reason == "病情较重，委员会同意"
    [stats] = await h.send(CADRE, "/carestats")
    assert "生病住院：1 次，800 元" in stats.text


async def test_hardship_aid_from_application_to_approval(harness: Harness) -> None:
    h = harness
    await _people(h)
    await h.send(WANG, "/hardship")
    [checklist] = await h.send(WANG, "爱人重病，家里收入只有我一人。")
    await h.press(WANG, checklist, "hd:doc:0")
    await h.press(WANG, checklist, "hd:doc:1")
    await h.press(WANG, checklist, "hd:go:send")
    await h.drain()
    assert "只有工会委员会能看到" in h.current(checklist).text
    async with h.db.read() as session:
        case = (await session.exec(select(Case).where(Case.kind == "hardship"))).one()
    assert "申请书、家庭收入证明" in case.text
    [refused] = await h.send(LI, "/cases")
    assert "只有工会干部" in refused.text
    profile = (await h.send(LI, "/me"))[0]
    _, forged = await h.press(LI, profile, f"cd:view:{case.id}")
    assert "只有工会干部" in forged["text"]
    [view] = await h.send(CADRE, "/cases")
    _, chair_only = await h.press(CADRE, view, f"cd:approve:{case.id}")
    assert "只有工会主席" in chair_only["text"]
    [chair_view] = await h.send(ADMIN, "/cases")
    await h.press(ADMIN, chair_view, f"cd:approve:{case.id}")
    await h.drain()
    assert "已获批准" in h.emu.last(WANG).text
    h.clock.advance(timedelta(days=366))
    await h.tick()
    await h.tick()
    await h.drain()
    assert sum("请复核" in m.text for m in h.emu.chat_messages(CADRE)) == 1


async def test_a_suggestion_adopted_published_and_co_signed_once(harness: Harness) -> None:
    h = harness
    group = await _people(h)
    await h.send(WANG, "/suggest")
    [noted] = await h.send(WANG, "建议在车间门口装一个饮水机。")
    [who], _ = await h.press(WANG, noted, "rp:done:1")
    await h.press(WANG, who, "rp:id:anonymous")
    await h.press(WANG, h.emu.last(WANG), "rp:go:send")
    await h.drain()
    async with h.db.read() as session:
        case = (await session.exec(select(Case).where(Case.kind == "suggestion"))).one()
    [view] = await h.send(CADRE, "/cases")
    _, early = await h.press(CADRE, view, f"cd:publish:{case.id}")
    assert "只有已采纳" in early["text"]
    await h.press(CADRE, view, f"cd:adopt:{case.id}")
    await h.drain()
    assert "被工会采纳" in h.emu.last(WANG).text
    await h.press(CADRE, view, f"cd:publish:{case.id}")
    await h.drain()
    post = next(m for m in h.emu.chat_messages(group) if "饮水机" in m.text)
    assert "王小明" not in post.text  # an anonymous suggestion stays anonymous in the group
    _, signed = await h.press(LI, post, f"sg:sign:{case.id}")
    _, again = await h.press(LI, post, f"sg:sign:{case.id}")
    assert "已附议" in signed["text"] and "已经附议过" in again["text"]
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert "附议：1 人" in h.current(post).text
    async with h.db.read() as session:
        assert await cases.supporters(session, case.id or 0) == 1
