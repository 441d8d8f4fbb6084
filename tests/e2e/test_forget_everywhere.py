"""/forget erases a member everywhere. The test finds every column that may hold a member's
id or Telegram id from the tables' metadata (so a table added later is checked without a
change here), gives the member a row in each before /forget, and afterwards finds their ids
in none of them and their name, phone or Telegram id in no text anywhere, except what the
union must keep (KEPT, each with its reason)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, String, Table, Text, cast, or_
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import members, models, outbox
from storage.statuses import (
    CaseActor,
    CaseEntryAction,
    KbAction,
    NoticeTarget,
    OutboxKind,
    OutboxStatus,
    StoredRole,
)
from tests.e2e.catalogue import says
from tests.e2e.flows import register
from tests.e2e.harness import Harness

WANG, LI = 31_001, 31_002
NAME, PHONE = "王小明", "13912345678"
GROUP = -100_555
# Columns that look like a person's id but are not one.
KEPT = {("group_chat", "chat_id"): "a group's id, never a person's"}


def _holds_member_id(column: Column[Any]) -> bool:
    by_key = any(key.target_fullname == "member.id" for key in column.foreign_keys)
    return by_key or column.name == "member_id" or column.name.endswith("_member_id")


def _person_columns() -> list[tuple[Table, Column[Any], bool]]:
    """(table, column, holds a Telegram id) for every column that may name a person."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in KEPT or (table.name, column.name) == ("member", "id"):
                continue
            if _holds_member_id(column):
                found.append((table, column, False))
            elif isinstance(column.type, BigInteger) or "telegram" in column.name:
                found.append((table, column, True))
    return found


def _text_columns() -> list[tuple[Table, Column[Any]]]:
    return [
        (table, column)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
    ]


async def _seed_everything(session: AsyncSession, h: Harness) -> tuple[int, int]:
    """A row naming the member (by id or Telegram id) in every table that can hold one."""
    now = h.clock.now()
    wang = await members.get_by_telegram_id(session, WANG)
    li = await members.get_by_telegram_id(session, LI)
    assert wang is not None and wang.id is not None and li is not None
    me = wang.id
    await members.update(session, wang, now=now, phone=PHONE)
    await members.set_role(
        session, li, role=StoredRole.CADRE, actor_telegram_id=WANG, now=now
    )  # they appointed someone (role_change.actor_telegram_id)
    await members.set_role(session, wang, role=StoredRole.CADRE, actor_telegram_id=1, now=now)
    due = now + timedelta(days=3)
    mine = models.Case(
        code="G-1",
        category="加班",
        department="一车间",
        text=f"{NAME}：上月加班没有加班费",
        reporter_member_id=me,
        created_at=now,
        ack_due=due,
        resolve_due=due,
    )
    theirs = models.Case(
        code="G-2",
        category="安全",
        department="一车间",
        text="车间通风不好",
        reporter_member_id=li.id,
        assignee_member_id=me,
        created_at=now,
        ack_due=due,
        resolve_due=due,
    )
    notice = models.Notice(
        author_telegram_id=WANG,
        text="周五开会",
        target=NoticeTarget.MEMBERS,
        scheduled_at=now,
        created_at=now,
    )
    activity = models.Activity(
        title="篮球赛", starts_at=due, ends_at=due, deadline=due, created_by=WANG, created_at=now
    )
    vote = models.Vote(
        question="换届",
        options=["同意", "反对"],
        opens_at=now,
        closes_at=due,
        created_by=WANG,
        created_at=now,
    )
    for row in (mine, theirs, notice, activity, vote):
        session.add(row)
    await session.flush()
    assert mine.id and theirs.id and notice.id and activity.id and vote.id
    session.add_all(
        [
            models.CaseEntry(
                case_id=mine.id,
                at=now,
                actor=CaseActor.REPORTER,
                action=CaseEntryAction.SUBMITTED,
                text=f"我是{NAME}，电话{PHONE}",
            ),
            models.CaseEntry(
                case_id=theirs.id,
                at=now,
                actor=CaseActor.CADRE,
                cadre_member_id=me,
                action=CaseEntryAction.ACK,
            ),
            models.Visit(case_id=theirs.id, cadre_member_id=me, approved_by=WANG, at=now),
            models.SuggestionSupport(case_id=theirs.id, member_id=me),
            models.NoticeAudience(notice_id=notice.id, member_id=me, department="一车间"),
            models.NoticeMissed(
                notice_id=notice.id, member_id=me, department="一车间", reason="blocked"
            ),
            models.NoticeConfirmation(notice_id=notice.id, member_id=me, confirmed_at=now),
            models.Signup(activity_id=activity.id, member_id=me, created_at=now),
            models.ActivityLog(
                activity_id=activity.id, actor_telegram_id=WANG, member_id=me, action="add", at=now
            ),
            models.VoteParticipation(vote_id=vote.id, member_id=me),
            models.OpenItem(
                text="福利公示", starts_at=now, ends_at=due, author_member_id=me, created_at=now
            ),
            models.KbQuestion(member_id=me, text="加班费怎么算", at=now),
            models.KbRevision(entry_id="union-x", action=KbAction.ADD, author_member_id=me, at=now),
            models.ConsoleLogin(
                token_hash="h" * 64, telegram_id=WANG, created_at=now, expires_at=due
            ),
            models.GroupChat(
                chat_id=GROUP, title="一车间", department="一车间", bound_by=WANG, updated_at=now
            ),
            models.Dialog(user_id=WANG, flow="case", step=1, data={"text": NAME}, updated_at=now),
        ]
    )
    sent = {"status": OutboxStatus.SENT, "created_at": now, "sent_at": now}
    await outbox.enqueue(
        session,
        [
            {
                "key": "to-wang",
                "kind": OutboxKind.GREETING,
                "chat_id": WANG,
                "member_id": me,
                "payload": {"text": f"🎂 {NAME}，生日快乐！"},
                **sent,
            },
            {
                "key": "to-group",
                "kind": OutboxKind.GREETING,
                "chat_id": GROUP,
                "payload": {"text": f"今天是{NAME}的生日"},
                **sent,
            },
        ],
        now=now,
    )
    await session.flush()
    return me, WANG


async def _rows_with(session: AsyncSession, table: Table, column: Column[Any], value: int) -> int:
    query = select(func.count()).select_from(table).where(column == value)
    return int((await session.exec(query)).one())


async def _texts_naming(session: AsyncSession, needles: list[str]) -> list[str]:
    """Text and JSON columns holding any of the needles (as typed, or escaped in JSON)."""
    found = []
    for table, column in _text_columns():
        text = cast(column, String)
        for needle in needles:
            escaped = json.dumps(needle)[1:-1]
            query = (
                select(func.count())
                .select_from(table)
                .where(or_(text.contains(needle), text.contains(escaped)))
            )
            if (await session.exec(query)).one():
                found.append(f"{table.name}.{column.name} ∋ {needle}")
    return found


async def test_forget_leaves_nothing_that_names_the_member(harness: Harness) -> None:
    h = harness
    await register(h, WANG, NAME)
    await register(h, LI, "李四")
    async with h.db.begin() as session:
        ids = await _seed_everything(session, h)
    columns = _person_columns()
    assert len(columns) >= 25  # the metadata really was read
    async with h.db.read() as session:
        missing = [
            f"{table.name}.{column.name}"
            for table, column, by_telegram in columns
            if not await _rows_with(session, table, column, ids[by_telegram])
        ]
    assert missing == [], "seed a row for every column that can name a member"

    [ask] = await h.send(WANG, "/forget")
    await h.press_key(WANG, ask, "btn_forget_yes")
    assert says(h.current(ask), "forget_done")

    async with h.db.read() as session:
        left = [
            f"{table.name}.{column.name}"
            for table, column, by_telegram in columns
            if await _rows_with(session, table, column, ids[by_telegram])
        ]
        named = await _texts_naming(session, [NAME, PHONE, str(WANG)])
        kept_cases = (await session.exec(select(models.Case.code))).all()
        kept_notices = (await session.exec(select(func.count(col(models.Notice.id))))).one()
    assert left == [] and named == []
    # What the union keeps: the cases (anonymised), the notice, the vote and activity.
    assert sorted(kept_cases) == ["G-1", "G-2"] and kept_notices == 1
