"""Knowledge-base revisions and asked questions, on each database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.rights.editor import parse, save, set_retired
from bot.rights.entries import shipped
from bot.rights.library import KnowledgeBase
from storage import members, rights
from storage.db import Database
from storage.statuses import KbAction

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def test_revisions_overlay_the_shipped_entries_and_keep_every_edit(db: Database) -> None:
    knowledge = KnowledgeBase(shipped())
    async with db.read() as session:
        before = (await knowledge.index(session)).search("夜班补贴每晚多少钱").best
    # The nearest shipped entry, and a wrong one: no entry says what the night allowance is.
    assert before is not None and before.entry.revision == 0
    form = "问：夜班补贴每晚多少钱\n答：每晚 30 元，随工资发。\n依据：无"
    async with db.begin() as session:
        await save(
            session,
            parse(form, entry_id="union-night"),
            action=KbAction.ADD,
            author_member_id=None,
            now=NOW,
        )
        edited = parse(form.replace("30", "35"), entry_id="union-night")
        await save(session, edited, action=KbAction.EDIT, author_member_id=None, now=NOW)
        await set_retired(
            session,
            knowledge,
            entry_id="overtime-pay",
            retired=True,
            author_member_id=None,
            now=NOW,
        )
    async with db.read() as session:
        index = await knowledge.index(session)
        history = await rights.history(session, "union-night")
        in_force = await rights.revisions_in_force(session)
        retired = await knowledge.find(session, "overtime-pay")
    found = index.search("夜班补贴每晚多少钱").best
    assert found is not None and "35" in found.entry.answer
    assert [r.action for r in history] == ["add", "edit"]
    assert {r.entry_id for r in in_force} == {"union-night", "overtime-pay"}
    assert retired is not None and retired.retired and "overtime-pay" not in index.by_id
    async with db.begin() as session:
        await set_retired(
            session,
            knowledge,
            entry_id="overtime-pay",
            retired=False,
            author_member_id=None,
            now=NOW,
        )
    async with db.read() as session:
        assert "overtime-pay" in (await knowledge.index(session)).by_id


async def test_figures_count_answers_gaps_and_ratings_without_the_asker(db: Database) -> None:
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=6_100_000_001, name="王小明", department="一车间"
        )
        asked = [
            ("加班费怎么算", "overtime-pay", True, True, "ask"),
            ("周末加班几倍", "overtime-pay", True, False, "ask"),
            ("产假几天", "maternity-leave", True, None, "related"),
            ("班车几点", None, False, None, "ask"),
            ("班车几点", None, False, None, "ask"),
        ]
        for text, entry_id, confident, helpful, via in asked:
            await rights.add_question(
                session,
                member_id=member.id,
                text=text,
                entry_id=entry_id,
                confident=confident,
                helpful=helpful,
                via=via,
                at=NOW,
            )
        await rights.add_question(
            session,
            member_id=None,
            text="很久以前",
            entry_id=None,
            confident=False,
            at=NOW - timedelta(days=40),
        )
    async with db.read() as session:
        since = NOW - timedelta(days=30)
        most = await rights.most_asked(session, since=since, limit=5)
        gaps = await rights.unanswered(session, since=since, limit=5)
        rated = await rights.helpfulness(session, since=since)
    assert most == [("overtime-pay", 2), ("maternity-leave", 1)]
    assert gaps == [("班车几点", 2), ("周末加班几倍", 1)]
    assert rated == [("overtime-pay", 1, 1)]


async def test_forgetting_a_member_erases_the_questions_they_asked(db: Database) -> None:
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=6_100_000_002, name="李华", department="一车间"
        )
        await rights.add_question(session, member_id=member.id, text="产假几天", at=NOW)
        other = await rights.add_question(session, member_id=None, text="年假几天", at=NOW)
    async with db.begin() as session:
        assert await members.erase(session, telegram_id=6_100_000_002)
    async with db.read() as session:
        since = NOW - timedelta(days=1)
        assert await rights.unanswered(session, since=since, limit=5) == [("年假几天", 1)]
        assert await rights.get_question(session, other.id or 0) is not None


async def test_the_bot_goes_on_answering_while_the_knowledge_base_is_indexed(
    db: Database,
) -> None:
    """Indexing takes a second or more of CPU; done on the event loop it would hold up every
    other member's update meanwhile. The loop keeps turning while the index is built."""
    knowledge = KnowledgeBase(shipped())
    await knowledge.load()
    turns = 0
    building = True

    async def other_updates() -> None:
        nonlocal turns
        while building:
            await asyncio.sleep(0)
            turns += 1

    others = asyncio.create_task(other_updates())
    async with db.read() as session:
        index = await knowledge.index(session)
    building = False
    await others
    assert index.search("加班费怎么算").best is not None
    assert turns > 100
