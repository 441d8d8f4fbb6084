"""Registration and profile changes: the profile form's drafts saved as members, one-field
edits, quiet hours, and erasing a member. Telegram-free; never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.flow import leave
from bot.greetings.birthday_dates import Birthday, CalendarKind
from bot.members.profile_form import (
    PROFILE_EDIT,
    REGISTRATION,
    BirthdayDraft,
    ProfileDraft,
    ProfileStep,
    State,
    first_question,
)
from bot.strings import Lang, normalise_lang
from storage import members
from storage.models import Member


def member_birthday(member: Member) -> Birthday | None:
    if member.bday_kind not in ("solar", "lunar") or not member.bday_month or not member.bday_day:
        return None
    kind: CalendarKind = "lunar" if member.bday_kind == "lunar" else "solar"
    return Birthday(kind, member.bday_month, member.bday_day, member.bday_leap, member.bday_year)


def draft_from_member(member: Member) -> ProfileDraft:
    return ProfileDraft(
        name=member.name,
        department=member.department,
        birthday=BirthdayDraft.of(member_birthday(member)),
        share_birthday=member.share_birthday,
        hide_year=member.hide_year,
        language=normalise_lang(member.language),
    )


def _birthday_columns(birthday: BirthdayDraft | None) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "bday_kind": birthday.kind if birthday else None,
        "bday_month": birthday.month if birthday else None,
        "bday_day": birthday.day if birthday else None,
        "bday_leap": birthday.leap if birthday else False,
        "bday_year": birthday.year if birthday else None,
    }
    if birthday is None:
        # No birthday, nothing to greet in the group (and no age to show).
        columns.update(share_birthday=False, hide_year=True)
    return columns


def registration_columns(draft: ProfileDraft) -> dict[str, Any]:
    """Every member column a confirmed registration sets."""
    return {
        "name": draft.name or "",
        "department": draft.department or "",
        "share_birthday": draft.share_birthday,
        "hide_year": draft.hide_year,
        "language": draft.language or "zh",
    } | _birthday_columns(draft.birthday)


def edited_columns(step: ProfileStep, draft: ProfileDraft) -> dict[str, Any]:
    """The member columns a one-field edit at this step changes."""
    if step == ProfileStep.BIRTHDAY:
        return _birthday_columns(draft.birthday)
    named = {
        ProfileStep.NAME: ("name", draft.name),
        ProfileStep.DEPARTMENT: ("department", draft.department),
        ProfileStep.SHARE: ("share_birthday", draft.share_birthday),
        ProfileStep.HIDE_YEAR: ("hide_year", draft.hide_year),
        ProfileStep.LANGUAGE: ("language", draft.language),
    }
    column, value = named[step]
    return {column: value}


async def _starting_draft(
    session: AsyncSession, *, telegram_id: int, username: str | None, lang: Lang
) -> ProfileDraft:
    """A fresh draft, prefilled from the roster when the union imported this worker already."""
    known = await members.get_by_telegram_id(session, telegram_id)
    if known is None and username:
        known = await members.find_unclaimed_by_username(session, username=username)
    if known is None:
        return ProfileDraft(language=lang)
    # A roster knows nothing of the language a worker reads: Telegram's is the better guess.
    return draft_from_member(known).model_copy(update={"roster_id": known.id, "language": lang})


async def begin_registration(
    session: AsyncSession,
    *,
    telegram_id: int,
    username: str | None,
    lang: Lang,
    departments: list[str],
    now: datetime,
) -> State:
    """Resume the registration this user is in, or start it (from the roster if they are on
    it). The language Telegram reports is the first guess."""
    current = await REGISTRATION.load(session, telegram_id)
    if current is not None:
        return current
    draft = await _starting_draft(session, telegram_id=telegram_id, username=username, lang=lang)
    if draft.department not in departments:
        draft = draft.model_copy(update={"department": None})  # the roster's is gone
    return await REGISTRATION.save(
        session, user_id=telegram_id, step=first_question(draft), data=draft, now=now
    )


async def complete_registration(
    session: AsyncSession,
    *,
    telegram_id: int,
    username: str | None,
    now: datetime,
) -> ProfileDraft | None:
    """Save the confirmed registration — once: the form is taken at its summary, so a second
    press in flight finds it gone and gets None. Claims the roster row if there is one."""
    state = await REGISTRATION.take(session, user_id=telegram_id, step=ProfileStep.CONFIRM)
    if state is None:
        return None
    draft = state.data
    columns = registration_columns(draft) | {"telegram_id": telegram_id, "username": username}
    member = await members.get_by_telegram_id(session, telegram_id)
    if member is None and draft.roster_id is not None:
        claimed = await members.get(session, draft.roster_id)
        if claimed is not None and claimed.telegram_id is None:
            member = claimed
    if member is None:
        member = await members.add(session, now=now, **columns)
    else:
        await members.update(session, member, now=now, **columns)
    await members.mark_registered(session, member, now=now)
    return draft


async def save_edit(
    session: AsyncSession,
    *,
    telegram_id: int,
    step: ProfileStep,
    draft: ProfileDraft,
    now: datetime,
) -> Member | None:
    """Save a one-field edit answered at `step` (taking the edit, so it is saved once);
    None if the edit had already ended or the member is gone."""
    if await PROFILE_EDIT.take(session, user_id=telegram_id, step=step) is None:
        return None
    member = await members.get_by_telegram_id(session, telegram_id)
    if member is not None:
        await members.update(session, member, now=now, **edited_columns(step, draft))
    return member


async def set_quiet_hours(
    session: AsyncSession, *, telegram_id: int, start: int | None, end: int | None, now: datetime
) -> bool:
    """Set (or with None, clear) a member's quiet hours; False if they are not a member."""
    member = await members.get_by_telegram_id(session, telegram_id)
    if member is None:
        return False
    await members.update(session, member, now=now, quiet_start=start, quiet_end=end)
    return True


async def forget(session: AsyncSession, *, telegram_id: int) -> bool:
    """Erase everything kept about a member (and any conversation they were in); False if
    there was nothing left to erase."""
    await leave(session, user_id=telegram_id)
    return await members.erase(session, telegram_id=telegram_id)
