"""Queries for the open board (公开栏): its 公示 items, and the year's cases and decisions it
sums up. Functions take the session first and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, CaseEntry, Member, OpenItem
from storage.statuses import CaseEntryAction, CaseKind, OpenItemStatus


async def add_item(session: AsyncSession, **fields: Any) -> OpenItem:
    item = OpenItem(**fields)
    session.add(item)
    await session.flush()
    return item


async def get_item(session: AsyncSession, item_id: int) -> OpenItem | None:
    return await session.get(OpenItem, item_id)


async def shown_items(session: AsyncSession, *, now: datetime) -> list[OpenItem]:
    """Items in their display period and not withdrawn, oldest first."""
    result = await session.exec(
        select(OpenItem)
        .where(
            col(OpenItem.status) == OpenItemStatus.SHOWN,
            col(OpenItem.starts_at) <= now,
            col(OpenItem.ends_at) > now,
        )
        .order_by(col(OpenItem.id))
    )
    return list(result.all())


async def withdraw(session: AsyncSession, item: OpenItem, *, now: datetime) -> bool:
    """Withdraw an item only if it is still shown (two presses race: one wins)."""
    result = await session.exec(
        update(OpenItem)
        .where(col(OpenItem.id) == item.id, col(OpenItem.status) == OpenItemStatus.SHOWN)
        .values(status=OpenItemStatus.WITHDRAWN, withdrawn_at=now)
    )
    await session.refresh(item)
    return bool(getattr(result, "rowcount", 0))


async def cases_since(
    session: AsyncSession, *, kinds: Sequence[CaseKind], since: datetime
) -> list[Case]:
    """Cases of these kinds received, finished or closed since a moment."""
    result = await session.exec(
        select(Case)
        .where(
            col(Case.kind).in_(list(kinds)),
            or_(
                col(Case.created_at) >= since,
                col(Case.resolved_at) >= since,
                col(Case.closed_at) >= since,
            ),
        )
        .order_by(col(Case.id))
    )
    return list(result.all())


async def decisions(
    session: AsyncSession, case_ids: Sequence[int], *, actions: Sequence[CaseEntryAction]
) -> list[CaseEntry]:
    """The steps of these kinds on these cases, oldest first (a decision and its words)."""
    if not case_ids:
        return []
    result = await session.exec(
        select(CaseEntry)
        .where(col(CaseEntry.case_id).in_(list(case_ids)), col(CaseEntry.action).in_(actions))
        .order_by(col(CaseEntry.id))
    )
    return list(result.all())


async def people_words(session: AsyncSession) -> list[str]:
    """Every member's name and username: what free text on the board must never show."""
    result = await session.exec(select(Member.name, Member.username))
    words: list[str] = []
    for name, username in result.all():
        words += [name] + ([username] if username else [])
    return words
