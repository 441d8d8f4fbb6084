"""Queries on members. Functions take the session first and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import case, func
from sqlalchemy import select as select_columns  # more columns than sqlmodel's select types
from sqlalchemy import update as update_rows
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import forgetting
from storage.models import Member, RoleChange
from storage.statuses import StoredRole

PROFILE_FIELDS = frozenset(
    {
        "name",
        "department",
        "phone",
        "username",
        "bday_kind",
        "bday_month",
        "bday_day",
        "bday_leap",
        "bday_year",
        "share_birthday",
        "hide_year",
        "language",
        "telegram_id",
        "quiet_start",
        "quiet_end",
        "active",
        "unreachable",
    }
)


async def get_by_telegram_id(session: AsyncSession, telegram_id: int) -> Member | None:
    result = await session.exec(select(Member).where(Member.telegram_id == telegram_id))
    return result.first()


async def get(session: AsyncSession, member_id: int) -> Member | None:
    return await session.get(Member, member_id)


async def find_unclaimed_by_username(session: AsyncSession, *, username: str) -> Member | None:
    """A roster row imported with this @username that no Telegram account has claimed yet."""
    result = await session.exec(
        select(Member).where(
            col(Member.telegram_id).is_(None),
            func.lower(Member.username) == username.lower(),
        )
    )
    return result.first()


async def find_by_handle(session: AsyncSession, *, handle: str) -> Member | None:
    """A registered member by numeric Telegram id or @username."""
    handle = handle.strip().removeprefix("@")
    if handle.lstrip("-").isdigit():
        return await get_by_telegram_id(session, int(handle))
    result = await session.exec(
        select(Member).where(
            func.lower(Member.username) == handle.lower(),
            col(Member.registered_at).is_not(None),
        )
    )
    return result.first()


async def find_roster_match(
    session: AsyncSession,
    *,
    telegram_id: int | None,
    username: str | None,
    name: str,
    department: str,
) -> Member | None:
    """The existing row an imported roster line refers to, by the strongest key it has."""
    if telegram_id is not None:
        return await get_by_telegram_id(session, telegram_id)
    if username:
        result = await session.exec(
            select(Member).where(func.lower(Member.username) == username.lower())
        )
        return result.first()
    result = await session.exec(
        select(Member).where(Member.name == name, Member.department == department)
    )
    return result.first()


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")


async def add(session: AsyncSession, *, now: datetime, **fields: Any) -> Member:
    _check_fields(fields)
    member = Member(created_at=now, updated_at=now, **fields)
    session.add(member)
    await session.flush()
    return member


async def update(session: AsyncSession, member: Member, *, now: datetime, **fields: Any) -> None:
    _check_fields(fields)
    for name, value in fields.items():
        setattr(member, name, value)
    member.updated_at = now
    session.add(member)
    await session.flush()


async def mark_registered(session: AsyncSession, member: Member, *, now: datetime) -> None:
    member.registered_at = now
    member.updated_at = now
    session.add(member)
    await session.flush()


async def erase(session: AsyncSession, *, telegram_id: int) -> bool:
    """Delete everything kept about this member, everywhere; True if there was anything."""
    return await forgetting.erase_member(session, telegram_id=telegram_id)


async def set_role(
    session: AsyncSession,
    member: Member,
    *,
    role: StoredRole,
    actor_telegram_id: int,
    now: datetime,
) -> None:
    member.role = role
    member.updated_at = now
    session.add(member)
    assert member.id is not None
    session.add(
        RoleChange(actor_telegram_id=actor_telegram_id, member_id=member.id, role=role, at=now)
    )
    await session.flush()


async def change_role(
    session: AsyncSession,
    member_id: int,
    *,
    expected: StoredRole,
    role: StoredRole,
    actor_telegram_id: int,
    now: datetime,
) -> bool:
    """Move a member from `expected` to `role`, audited — only if they still have `expected`:
    of two changes in flight (a double tap, two admins) one wins and one audit row is kept."""
    result = await session.exec(
        update_rows(Member)
        .where(col(Member.id) == member_id, col(Member.role) == expected)
        .values(role=role, updated_at=now)
    )
    if not getattr(result, "rowcount", 0):
        return False
    session.add(
        RoleChange(actor_telegram_id=actor_telegram_id, member_id=member_id, role=role, at=now)
    )
    await session.flush()
    return True


async def with_role(session: AsyncSession, *, roles: Sequence[str]) -> list[Member]:
    result = await session.exec(
        select(Member)
        .where(col(Member.role).in_(roles), col(Member.telegram_id).is_not(None))
        .order_by(col(Member.department), col(Member.name))
    )
    return list(result.all())


async def count_registered(session: AsyncSession) -> int:
    result = await session.exec(
        select(func.count()).select_from(Member).where(col(Member.registered_at).is_not(None))
    )
    return int(result.one())


async def registered(
    session: AsyncSession,
    *,
    departments: Sequence[str] | None = None,
    after_id: int = 0,
    limit: int | None = None,
) -> list[Member]:
    """Registered members (of these departments, when given), in id order; a page of them
    after `after_id` when `limit` is given (keyset pagination: memory stays flat)."""
    query = select(Member).where(col(Member.registered_at).is_not(None), col(Member.id) > after_id)
    if departments is not None:
        query = query.where(col(Member.department).in_(departments))
    query = query.order_by(col(Member.id))
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())


class RosterPerson(NamedTuple):
    """One person on the roster, with only what deciding how a notice reaches them needs."""

    id: int
    name: str
    department: str
    telegram_id: int | None
    registered: bool
    active: bool
    unreachable: str | None
    language: str
    quiet_start: int | None
    quiet_end: int | None


async def roster_page(
    session: AsyncSession,
    *,
    departments: Sequence[str] | None,
    after_id: int = 0,
    limit: int = 1000,
) -> list[RosterPerson]:
    """A page of the roster (registered or not, of these departments when given) in id order
    after `after_id`: keyset pagination, so memory stays flat for a large union."""
    query = select_columns(
        col(Member.id),
        col(Member.name),
        col(Member.department),
        col(Member.telegram_id),
        col(Member.registered_at).is_not(None),
        col(Member.active),
        col(Member.unreachable),
        col(Member.language),
        col(Member.quiet_start),
        col(Member.quiet_end),
    ).where(col(Member.id) > after_id)
    if departments is not None:
        query = query.where(col(Member.department).in_(departments))
    # sqlmodel's exec is typed for its own select (four columns at most); it runs this one.
    statement = query.order_by(col(Member.id)).limit(limit)
    result = await session.exec(statement)  # type: ignore[call-overload]
    return [
        RosterPerson(
            int(member_id or 0),
            name,
            department,
            telegram_id,
            bool(registered),
            bool(active),
            unreachable,
            language,
            quiet_start,
            quiet_end,
        )
        for (
            member_id,
            name,
            department,
            telegram_id,
            registered,
            active,
            unreachable,
            language,
            quiet_start,
            quiet_end,
        ) in result.all()
    ]


async def mark_unreachable(
    session: AsyncSession, member: Member, *, reason: str, now: datetime
) -> None:
    """Private messages cannot reach this member any more (blocked the bot, say): stop
    writing to them and remember why, so previews and receipts can say so."""
    await update(session, member, now=now, active=False, unreachable=reason[:20])


async def quiet_windows(session: AsyncSession) -> list[tuple[int, int]]:
    """The quiet hours registered members have set, as (start, end) minutes after midnight."""
    result = await session.exec(
        select(Member.quiet_start, Member.quiet_end).where(
            col(Member.registered_at).is_not(None),
            col(Member.quiet_start).is_not(None),
            col(Member.quiet_end).is_not(None),
        )
    )
    return [(start, end) for start, end in result.all() if start is not None and end is not None]


async def search(
    session: AsyncSession,
    *,
    text: str = "",
    department: str | None = None,
    roles: Sequence[str] | None = None,
    telegram_ids: Sequence[int] | None = None,
    registered: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Member], int]:
    """A page of the roster by department and name, and how many match in all: by a piece
    of the name, @username or phone; by department; by stored role or Telegram id (admins);
    registered or only on the roster."""
    query = select(Member)
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            func.lower(Member.name).like(pattern, escape="\\")
            | func.lower(col(Member.username)).like(pattern, escape="\\")
            | col(Member.phone).like(pattern, escape="\\")
        )
    if department is not None:
        query = query.where(Member.department == department)
    if roles is not None:
        query = query.where(col(Member.role).in_(roles))
    if telegram_ids is not None:
        query = query.where(col(Member.telegram_id).in_(telegram_ids))
    if registered is not None:
        column = col(Member.registered_at)
        query = query.where(column.is_not(None) if registered else column.is_(None))
    total = await session.exec(select(func.count()).select_from(query.subquery()))
    page = await session.exec(
        query.order_by(col(Member.department), col(Member.name), col(Member.id))
        .offset(offset)
        .limit(limit)
    )
    return list(page.all()), int(total.one())


async def roster_by_department(session: AsyncSession) -> dict[str, tuple[int, int]]:
    """Per department: (people on the roster, of whom registered)."""
    registered_count = func.sum(case((col(Member.registered_at).is_not(None), 1), else_=0))
    result = await session.exec(
        select(Member.department, func.count(), registered_count).group_by(Member.department)
    )
    return {department: (int(total), int(done or 0)) for department, total, done in result.all()}


async def names(session: AsyncSession, member_ids: Sequence[int]) -> dict[int, str]:
    """The names of these members, by id (those still on the roster)."""
    if not member_ids:
        return {}
    result = await session.exec(
        select(Member.id, Member.name).where(col(Member.id).in_(list(member_ids)))
    )
    return {member_id: name for member_id, name in result.all() if member_id is not None}
