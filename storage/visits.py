"""Queries on care visits (五必访). Functions take the session first and never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, Visit
from storage.statuses import VisitStatus


async def add(session: AsyncSession, **fields: Any) -> Visit:
    visit = Visit(**fields)
    session.add(visit)
    await session.flush()
    return visit


async def get(session: AsyncSession, visit_id: int) -> Visit | None:
    return await session.get(Visit, visit_id)


async def approve(session: AsyncSession, visit: Visit, *, chair: int, reason: str) -> bool:
    """Approve a visit waiting for the chair, only if it still is (two approvals race: one
    wins). The visit object is refreshed either way."""
    result = await session.exec(
        update(Visit)
        .where(col(Visit.id) == visit.id, col(Visit.status) == VisitStatus.PENDING)
        .values(status=VisitStatus.APPROVED, approved_by=chair, approval_reason=reason)
    )
    await session.refresh(visit)
    return bool(getattr(result, "rowcount", 0))


async def since(session: AsyncSession, moment: datetime) -> list[tuple[Visit, Case]]:
    """Every visit from a moment on, with its case."""
    result = await session.exec(
        select(Visit, Case)
        .join(Case, col(Case.id) == col(Visit.case_id))
        .where(col(Visit.at) >= moment)
        .order_by(col(Visit.id))
    )
    return list(result.all())


async def pending(session: AsyncSession) -> list[tuple[Visit, Case]]:
    """Visits over their cap waiting for the chair, oldest first, with their cases."""
    result = await session.exec(
        select(Visit, Case)
        .join(Case, col(Case.id) == col(Visit.case_id))
        .where(col(Visit.status) == VisitStatus.PENDING)
        .order_by(col(Visit.id))
    )
    return list(result.all())
