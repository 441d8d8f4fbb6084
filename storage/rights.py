"""Queries on the knowledge base's revisions and the questions asked of it. Never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import update
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import KbQuestion, KbRevision
from storage.statuses import KbVia


async def add_revision(session: AsyncSession, **fields: Any) -> KbRevision:
    revision = KbRevision(**fields)
    session.add(revision)
    await session.flush()
    return revision


async def newest_revision_id(session: AsyncSession) -> int:
    """Grows with every change, so a process can tell its index is stale with one query."""
    newest = (await session.exec(select(func.max(KbRevision.id)))).one()
    return int(newest or 0)


async def revisions_in_force(session: AsyncSession) -> list[KbRevision]:
    """The newest revision of every entry that has one."""
    newest = (
        select(func.max(KbRevision.id).label("id")).group_by(col(KbRevision.entry_id)).subquery()
    )
    result = await session.exec(
        select(KbRevision)
        .join(newest, col(KbRevision.id) == newest.c.id)
        .order_by(col(KbRevision.id))
    )
    return list(result.all())


async def history(session: AsyncSession, entry_id: str) -> list[KbRevision]:
    result = await session.exec(
        select(KbRevision).where(KbRevision.entry_id == entry_id).order_by(col(KbRevision.id))
    )
    return list(result.all())


async def add_question(session: AsyncSession, **fields: Any) -> KbQuestion:
    question = KbQuestion(**fields)
    session.add(question)
    await session.flush()
    return question


async def get_question(session: AsyncSession, question_id: int) -> KbQuestion | None:
    return await session.get(KbQuestion, question_id)


async def question_of_case(session: AsyncSession, case_id: int) -> KbQuestion | None:
    result = await session.exec(
        select(KbQuestion).where(KbQuestion.case_id == case_id).order_by(col(KbQuestion.id))
    )
    return result.first()


async def forget_asker(session: AsyncSession, *, case_id: int) -> None:
    """Untie a question handed to the union from its asker (its anonymous case has closed)."""
    await session.exec(
        update(KbQuestion).where(col(KbQuestion.case_id) == case_id).values(member_id=None)
    )


async def save(session: AsyncSession, question: KbQuestion) -> None:
    session.add(question)
    await session.flush()


async def most_asked(
    session: AsyncSession, *, since: datetime, limit: int
) -> list[tuple[str, int]]:
    """Entries members were answered with, most often first (related-question presses
    count too: they are questions the member chose)."""
    count = func.count(col(KbQuestion.id))
    result = await session.exec(
        select(KbQuestion.entry_id, count)
        .where(
            col(KbQuestion.at) >= since,
            col(KbQuestion.confident),
            col(KbQuestion.entry_id).is_not(None),
        )
        .group_by(col(KbQuestion.entry_id))
        .order_by(count.desc(), col(KbQuestion.entry_id))
        .limit(limit)
    )
    return [(str(entry_id), int(n)) for entry_id, n in result.all()]


async def unanswered(
    session: AsyncSession, *, since: datetime, limit: int
) -> list[tuple[str, int]]:
    """Questions that found no confident answer or whose answer did not help: the entries
    to write next, most asked first."""
    count = func.count(col(KbQuestion.id))
    result = await session.exec(
        select(KbQuestion.text, count)
        .where(
            col(KbQuestion.at) >= since,
            col(KbQuestion.via) == KbVia.ASK,
            or_(col(KbQuestion.confident).is_(False), col(KbQuestion.helpful).is_(False)),
        )
        .group_by(col(KbQuestion.text))
        .order_by(count.desc(), func.max(KbQuestion.id).desc())
        .limit(limit)
    )
    return [(str(text), int(n)) for text, n in result.all()]


async def helpfulness(session: AsyncSession, *, since: datetime) -> list[tuple[str, int, int]]:
    """Per entry: how many said it helped, and how many said it did not."""
    yes = func.sum(when((col(KbQuestion.helpful).is_(True), 1), else_=0))
    no = func.sum(when((col(KbQuestion.helpful).is_(False), 1), else_=0))
    result = await session.exec(
        select(KbQuestion.entry_id, yes, no)
        .where(
            col(KbQuestion.at) >= since,
            col(KbQuestion.helpful).is_not(None),
            col(KbQuestion.entry_id).is_not(None),
        )
        .group_by(col(KbQuestion.entry_id))
        .order_by(no.desc(), yes.desc())
    )
    return [(str(entry_id), int(y), int(n)) for entry_id, y, n in result.all()]
