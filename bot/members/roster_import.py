"""Saving a checked roster: one transaction, or only the good rows when asked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.members.roster_file import RosterRow, RowProblem
from storage import members
from storage.models import Member


class RowOutcome(StrEnum):
    """What saving a good row does."""

    CREATE = "create"  # a new roster member
    UPDATE = "update"  # a roster row nobody has claimed yet, refreshed
    KEEP = "keep"  # a registered member keeps the profile they gave (a phone may be added)


def outcome(existing: Member | None) -> RowOutcome:
    if existing is None:
        return RowOutcome.CREATE
    return RowOutcome.KEEP if existing.registered_at is not None else RowOutcome.UPDATE


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    kept: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _columns(row: RosterRow) -> dict[str, object]:
    columns: dict[str, object] = {"name": row.name, "department": row.department}
    if row.telegram_id is not None:
        columns["telegram_id"] = row.telegram_id
    if row.username is not None:
        columns["username"] = row.username
    if row.phone is not None:
        columns["phone"] = row.phone
    if row.birthday is not None:
        columns.update(
            bday_kind=row.birthday.kind,
            bday_month=row.birthday.month,
            bday_day=row.birthday.day,
            bday_leap=row.birthday.leap,
            bday_year=row.birthday.year,
        )
    return columns


async def _match(session: AsyncSession, row: RosterRow) -> Member | None:
    return await members.find_roster_match(
        session,
        telegram_id=row.telegram_id,
        username=row.username,
        name=row.name,
        department=row.department,
    )


async def plan_rows(
    session: AsyncSession, rows: Iterable[RosterRow | RowProblem]
) -> list[tuple[RosterRow | RowProblem, RowOutcome | None]]:
    """What saving would do to each row, writing nothing: the preview before an import."""
    return [
        (row, None if isinstance(row, RowProblem) else outcome(await _match(session, row)))
        for row in rows
    ]


async def save_rows(
    session: AsyncSession, rows: Iterable[RosterRow | RowProblem], *, now: datetime
) -> ImportReport:
    """Add or refresh roster members. A registered member keeps the profile they gave
    themselves; only a missing phone number is filled in from the roster."""
    report = ImportReport()
    for row in rows:
        if isinstance(row, RowProblem):
            report.problems.append(row)
            continue
        existing = await _match(session, row)
        if existing is None:
            await members.add(session, now=now, **_columns(row))
            report.created += 1
        elif outcome(existing) == RowOutcome.KEEP:
            if row.phone and not existing.phone:
                await members.update(session, existing, now=now, phone=row.phone)
            report.kept += 1
        else:
            await members.update(session, existing, now=now, **_columns(row))
            report.updated += 1
    return report
