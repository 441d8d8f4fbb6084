"""Registration and profile changes: the profile form's drafts, saved as members."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.greetings.birthday_dates import Birthday, CalendarKind
from bot.members.profile_form import birthday_from_draft, birthday_to_draft
from storage import members
from storage.models import Member


def member_birthday(member: Member) -> Birthday | None:
    if member.bday_kind not in ("solar", "lunar") or not member.bday_month or not member.bday_day:
        return None
    kind: CalendarKind = "lunar" if member.bday_kind == "lunar" else "solar"
    return Birthday(kind, member.bday_month, member.bday_day, member.bday_leap, member.bday_year)


def draft_from_member(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "department": member.department,
        "birthday": birthday_to_draft(member_birthday(member)),
        "share_birthday": member.share_birthday,
        "hide_year": member.hide_year,
        "language": member.language,
    }


def columns_from_draft(draft: dict[str, Any]) -> dict[str, Any]:
    """Member columns for the parts of a draft that are present."""
    columns: dict[str, Any] = {
        key: draft[key]
        for key in ("name", "department", "share_birthday", "hide_year", "language")
        if key in draft
    }
    if "birthday" in draft:
        birthday = birthday_from_draft(draft["birthday"])
        columns.update(
            bday_kind=birthday.kind if birthday else None,
            bday_month=birthday.month if birthday else None,
            bday_day=birthday.day if birthday else None,
            bday_leap=birthday.leap if birthday else False,
            bday_year=birthday.year if birthday else None,
        )
        if birthday is None:
            columns["share_birthday"] = False
    return columns


async def starting_draft(
    session: AsyncSession, *, telegram_id: int, username: str | None
) -> dict[str, Any]:
    """A fresh draft, prefilled from the roster when the union imported this worker already."""
    known = await members.get_by_telegram_id(session, telegram_id)
    if known is None and username:
        known = await members.find_unclaimed_by_username(session, username=username)
    if known is None:
        return {}
    draft = draft_from_member(known)
    draft["roster_id"] = known.id
    del draft["language"]  # a roster knows nothing of the language a worker reads
    return draft


async def complete_registration(
    session: AsyncSession,
    *,
    telegram_id: int,
    username: str | None,
    draft: dict[str, Any],
    now: datetime,
) -> Member:
    """Save a confirmed draft: claim the roster row if there is one, else add the member."""
    columns = columns_from_draft(draft)
    columns.update(telegram_id=telegram_id, username=username)
    member = await members.get_by_telegram_id(session, telegram_id)
    roster_id = draft.get("roster_id")
    if member is None and isinstance(roster_id, int):
        claimed = await members.get(session, roster_id)
        if claimed is not None and claimed.telegram_id is None:
            member = claimed
    if member is None:
        member = await members.add(session, now=now, **columns)
    else:
        await members.update(session, member, now=now, **columns)
    await members.mark_registered(session, member, now=now)
    return member
