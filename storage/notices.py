"""Queries on notices, their audiences and confirmations. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, Notice, NoticeAudience, NoticeConfirmation, NoticeMissed
from storage.statuses import NoticeStatus, NoticeWay
from storage.upsert import insert_ignoring

SCHEDULED, SENDING, SENT, CANCELLED = (
    NoticeStatus.SCHEDULED,
    NoticeStatus.SENDING,
    NoticeStatus.SENT,
    NoticeStatus.CANCELLED,
)


async def add(session: AsyncSession, **fields: Any) -> Notice:
    notice = Notice(**fields)
    session.add(notice)
    await session.flush()
    return notice


async def get(session: AsyncSession, notice_id: int) -> Notice | None:
    return await session.get(Notice, notice_id)


async def recent(session: AsyncSession, *, limit: int) -> list[Notice]:
    result = await session.exec(
        select(Notice)
        .where(col(Notice.status).in_([SENDING, SENT]))
        .order_by(col(Notice.released_at).desc(), col(Notice.id).desc())
        .limit(limit)
    )
    return list(result.all())


async def scheduled(session: AsyncSession) -> list[Notice]:
    result = await session.exec(
        select(Notice).where(Notice.status == SCHEDULED).order_by(col(Notice.scheduled_at))
    )
    return list(result.all())


async def take_if(session: AsyncSession, notice_id: int, *, expected: str, new: str) -> bool:
    """Move a notice from one status to another only if no one else did first."""
    result = await session.exec(
        update(Notice)
        .where(col(Notice.id) == notice_id, col(Notice.status) == expected)
        .values(status=new)
    )
    return bool(getattr(result, "rowcount", 0))


async def due(session: AsyncSession, *, now: datetime) -> list[Notice]:
    result = await session.exec(
        select(Notice).where(Notice.status == SCHEDULED, col(Notice.scheduled_at) <= now)
    )
    return list(result.all())


async def awaiting_confirmation(session: AsyncSession, *, rounds: int) -> list[Notice]:
    """Sent notices asking for 「收到」 that have had fewer than `rounds` reminder rounds."""
    result = await session.exec(
        select(Notice).where(
            col(Notice.status).in_([SENDING, SENT]),
            col(Notice.require_ack),
            col(Notice.reminders_sent) < rounds,
        )
    )
    return list(result.all())


async def add_audience(
    session: AsyncSession, *, notice_id: int, reached: Sequence[tuple[int, str, NoticeWay]]
) -> None:
    """Fix who the notice reached: (member id, department, way) each; again is a no-op."""
    rows = [
        {"notice_id": notice_id, "member_id": member_id, "department": department, "way": way}
        for member_id, department, way in reached
    ]
    await _insert_rows(session, NoticeAudience, rows)


async def add_missed(
    session: AsyncSession, *, notice_id: int, missed: Sequence[tuple[int, str, str]]
) -> None:
    """Record who the notice could not reach: (member id, department, reason) each."""
    rows = [
        {"notice_id": notice_id, "member_id": member_id, "department": department, "reason": why}
        for member_id, department, why in missed
    ]
    await _insert_rows(session, NoticeMissed, rows)


async def _insert_rows(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 1000):
        await session.exec(
            insert_ignoring(session, table, ["notice_id", "member_id"]),
            params=rows[start : start + 1000],
        )


async def missed(session: AsyncSession, notice_id: int) -> list[tuple[str, str, str]]:
    """(name, department, reason) of everyone the notice could not reach, by department."""
    result = await session.exec(
        select(Member.name, NoticeMissed.department, NoticeMissed.reason)
        .join(NoticeMissed, col(NoticeMissed.member_id) == col(Member.id))
        .where(NoticeMissed.notice_id == notice_id)
        .order_by(col(NoticeMissed.department), col(Member.name))
    )
    return [(name, department, reason) for name, department, reason in result.all()]


async def audience(session: AsyncSession, notice_id: int) -> list[tuple[Member, str]]:
    result = await session.exec(
        select(Member, NoticeAudience.department)
        .join(NoticeAudience, col(NoticeAudience.member_id) == col(Member.id))
        .where(NoticeAudience.notice_id == notice_id)
        .order_by(col(NoticeAudience.department), col(Member.name))
    )
    return [(member, department) for member, department in result.all()]


async def audience_names(
    session: AsyncSession, notice_id: int
) -> list[tuple[int, str, str, NoticeWay]]:
    """(member id, name, department counted in, way) for everyone the notice reached — only
    the columns a receipt needs, so a large audience stays quick to read."""
    result = await session.exec(
        select(Member.id, Member.name, NoticeAudience.department, NoticeAudience.way)
        .join(NoticeAudience, col(NoticeAudience.member_id) == col(Member.id))
        .where(NoticeAudience.notice_id == notice_id)
        .order_by(col(NoticeAudience.department), col(Member.name))
    )
    return [
        (int(member_id or 0), name, department, NoticeWay(way))
        for member_id, name, department, way in result.all()
    ]


async def confirm(session: AsyncSession, *, notice_id: int, member_id: int, now: datetime) -> bool:
    """Record a confirmation; False if this member had already confirmed."""
    statement = insert_ignoring(session, NoticeConfirmation, ["notice_id", "member_id"])
    result = await session.exec(
        statement.values(notice_id=notice_id, member_id=member_id, confirmed_at=now).returning(
            col(NoticeConfirmation.member_id)
        )
    )
    return result.first() is not None


async def confirmed_ids(session: AsyncSession, notice_id: int) -> set[int]:
    result = await session.exec(
        select(NoticeConfirmation.member_id).where(NoticeConfirmation.notice_id == notice_id)
    )
    return set(result.all())


async def department_counts(
    session: AsyncSession, *, notice_id: int, department: str
) -> tuple[int, int]:
    """(confirmed, audience) among the notice's audience in one department."""
    total = await session.exec(
        select(func.count())
        .select_from(NoticeAudience)
        .where(NoticeAudience.notice_id == notice_id, NoticeAudience.department == department)
    )
    confirmed = await session.exec(
        select(func.count())
        .select_from(NoticeConfirmation)
        .join(
            NoticeAudience,
            (col(NoticeAudience.notice_id) == col(NoticeConfirmation.notice_id))
            & (col(NoticeAudience.member_id) == col(NoticeConfirmation.member_id)),
        )
        .where(NoticeConfirmation.notice_id == notice_id, NoticeAudience.department == department)
    )
    return int(confirmed.one()), int(total.one())


async def save(session: AsyncSession, notice: Notice) -> None:
    session.add(notice)
    await session.flush()


async def advance_rounds(
    session: AsyncSession, notice_id: int, *, seen: int, to: int | None = None
) -> bool:
    """Count the reminder rounds up to `to` (default: one more), only if `seen` rounds had gone
    so far: of two reminders raced from the same state, one wins."""
    result = await session.exec(
        update(Notice)
        .where(col(Notice.id) == notice_id, col(Notice.reminders_sent) == seen)
        .values(reminders_sent=seen + 1 if to is None else to)
    )
    return bool(getattr(result, "rowcount", 0))


async def audience_department(
    session: AsyncSession, *, notice_id: int, member_id: int
) -> str | None:
    """The department a member was counted in when the notice went out (None: not in its
    audience)."""
    result = await session.exec(
        select(NoticeAudience.department).where(
            NoticeAudience.notice_id == notice_id, NoticeAudience.member_id == member_id
        )
    )
    return result.first()


async def totals(session: AsyncSession, notice_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per notice: (its audience, how many of them confirmed)."""
    if not notice_ids:
        return {}
    audience = await session.exec(
        select(NoticeAudience.notice_id, func.count())
        .where(col(NoticeAudience.notice_id).in_(notice_ids))
        .group_by(col(NoticeAudience.notice_id))
    )
    confirmed = await session.exec(
        select(NoticeConfirmation.notice_id, func.count())
        .where(col(NoticeConfirmation.notice_id).in_(notice_ids))
        .group_by(col(NoticeConfirmation.notice_id))
    )
    done = {notice_id: int(count) for notice_id, count in confirmed.all()}
    return {notice_id: (int(count), done.get(notice_id, 0)) for notice_id, count in audience.all()}


async def released_between(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[Notice]:
    """Notices that went out in a period (a month, for the dashboard), oldest first."""
    result = await session.exec(
        select(Notice)
        .where(
            col(Notice.status).in_([SENDING, SENT]),
            col(Notice.released_at) >= start,
            col(Notice.released_at) < end,
        )
        .order_by(col(Notice.released_at))
    )
    return list(result.all())
