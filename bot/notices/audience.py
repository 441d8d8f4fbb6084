"""Who a notice would reach, department by department: the people its department's group
reaches, those written to privately, and those it cannot reach at all — by name, so a cadre
knows whom to tell in person. Telegram-free; reads only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import groups, members, notices
from storage.models import Notice
from storage.statuses import NoticeTarget


@dataclass
class DepartmentReach:
    department: str
    groups: list[str] = field(default_factory=list)  # the bound groups' titles
    people: int = 0  # registered members of the department
    by_group: int = 0  # …whom its group reaches
    privately: int = 0  # …written to in private
    unreachable: list[str] = field(default_factory=list)  # reached neither way, by name


async def by_department(
    session: AsyncSession, *, target: NoticeTarget, departments: list[str] | None
) -> list[DepartmentReach]:
    """Per department (of these, or all), how the notice would reach its members."""
    to_groups = target != NoticeTarget.MEMBERS
    private = target != NoticeTarget.GROUPS
    found: dict[str, DepartmentReach] = {name: DepartmentReach(name) for name in departments or []}
    if to_groups:
        for group in await groups.bound(session, departments=departments):
            name = group.department or ""
            found.setdefault(name, DepartmentReach(name)).groups.append(group.title)
    for member in await members.in_departments(session, departments):
        entry = found.setdefault(member.department, DepartmentReach(member.department))
        entry.people += 1
        grouped = bool(entry.groups)
        written = private and member.telegram_id is not None and member.active
        entry.by_group += grouped
        entry.privately += written
        if not grouped and not written:
            entry.unreachable.append(member.name)
    return sorted(found.values(), key=lambda entry: entry.department)


async def totals(session: AsyncSession, notice_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per notice: (its audience, how many of them confirmed)."""
    return await notices.totals(session, notice_ids)


async def released_between(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[Notice]:
    """Notices that went out in a period, oldest first."""
    return await notices.released_between(session, start=start, end=end)
