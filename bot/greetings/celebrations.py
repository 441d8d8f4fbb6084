"""What the calendar means for the union's data: who celebrates when, which festivals the
union keeps, and which days are working days (with the statutory fallback)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.greetings.birthday_dates import Birthday, parse_birthday
from bot.greetings.calendar import (
    FestivalRule,
    birthday_keys,
    is_working_day,
    lunar_of,
    occurrences,
    workday_status,
)
from bot.greetings.festivals import Festival, built_in
from bot.greetings.settings import GreetingsConfig
from bot.strings import Lang, normalise_lang
from storage import birthdays, members
from storage.models import Member
from storage.statuses import StoredRole

STATUTORY = frozenset(
    {"yuandan", "chunjie", "qingming", "laodong", "duanwu", "zhongqiu", "guoqing"}
)


@dataclass(frozen=True)
class RunContext:
    day: date
    now: datetime
    zone: ZoneInfo
    union: str
    group_lang: Lang
    settings: GreetingsConfig


def festivals(settings: GreetingsConfig) -> list[Festival]:
    """The built-in festivals with the union's switches and wording, plus its own days."""
    chosen = []
    for festival in built_in():
        override = settings.festivals.get(festival.rule.key)
        enabled = (
            festival.enabled if override is None or override.enabled is None else override.enabled
        )
        if not enabled:
            continue
        if override is not None and override.text is not None:
            chosen.append(replace(festival, text_zh=override.text, text_en=override.text))
        else:
            chosen.append(festival)
    for custom in settings.custom:
        parsed = parse_birthday(custom.date, today=date(2100, 1, 1))
        assert isinstance(parsed, Birthday)  # the config checked it
        rule = FestivalRule(custom.key, parsed.kind, parsed.month, parsed.day)
        chosen.append(
            Festival(rule, custom.name, custom.name, custom.text, custom.text, custom.welfare)
        )
    return chosen


@cache
def statutory_days(year: int) -> frozenset[date]:
    """The statutory festival days of a year, for when its official arrangement is unknown."""
    rules = [f.rule for f in built_in() if f.rule.key in STATUTORY]
    return frozenset(day for rule in rules for day in occurrences(rule, year))


def working(day: date) -> bool:
    """An official working day (statutory festivals and weekends off in unpublished years)."""
    status = workday_status(day)
    if status != "unknown":
        return status == "workday"
    return is_working_day(day, statutory=statutory_days(day.year))


def age_on(member: Member, day: date) -> int | None:
    """The age a greeting may mention: only with the year given and not hidden."""
    if member.hide_year or member.bday_year is None:
        return None
    year = lunar_of(day).year if member.bday_kind == "lunar" else day.year
    return year - member.bday_year


async def celebrating_on(
    session: AsyncSession, day: date, departments: list[str] | None = None
) -> list[Member]:
    keys = birthday_keys(day)
    lunar = tuple((key.month, key.leap, key.days) for key in keys.lunar)
    return await birthdays.celebrating(
        session, solar=keys.solar, lunar=lunar, departments=departments
    )


async def cadres_and_admins(
    session: AsyncSession, admins: list[int]
) -> list[tuple[int, Lang, int | None]]:
    """(telegram id, language, member id) of everyone who gets the cadres' digest."""
    people: dict[int, tuple[int, Lang, int | None]] = {}
    for member in await members.with_role(session, roles=[StoredRole.CADRE]):
        if member.telegram_id is not None and member.active:
            people[member.telegram_id] = (
                member.telegram_id,
                normalise_lang(member.language),
                member.id,
            )
    for admin in admins:
        if admin not in people:
            known = await members.get_by_telegram_id(session, admin)
            lang = normalise_lang(known.language if known else None)
            people[admin] = (admin, lang, known.id if known else None)
    return list(people.values())
