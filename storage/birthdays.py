"""Finding members by birthday keys, through the (kind, month, day, leap) index. Never commits."""

from __future__ import annotations

from sqlalchemy import and_, or_, tuple_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member


async def celebrating(
    session: AsyncSession,
    *,
    solar: tuple[tuple[int, int], ...],
    lunar: tuple[tuple[int, bool, tuple[int, ...]], ...],
    departments: list[str] | None = None,
) -> list[Member]:
    """Registered members whose stored birthday matches one of the keys."""
    conditions = [
        and_(
            col(Member.bday_kind) == "solar",
            tuple_(col(Member.bday_month), col(Member.bday_day)).in_(list(solar)),
        )
    ]
    for month, leap, days in lunar:
        conditions.append(
            and_(
                col(Member.bday_kind) == "lunar",
                col(Member.bday_month) == month,
                col(Member.bday_leap) == leap,
                col(Member.bday_day).in_(list(days)),
            )
        )
    query = select(Member).where(or_(*conditions), col(Member.registered_at).is_not(None))
    if departments is not None:
        query = query.where(col(Member.department).in_(departments))
    result = await session.exec(query.order_by(col(Member.department), col(Member.name)))
    return list(result.all())
