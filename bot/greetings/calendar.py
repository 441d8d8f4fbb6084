"""The calendar service: lunar dates, whose birthday is today, festivals, working days.

Telegram-free and pure. Lunar birthdays are found by converting *today* once and asking the
member index for the (month, day, leap) keys that fall today — never by converting members.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import chinese_calendar
from lunar_python import Lunar, LunarMonth, LunarYear, Solar


@dataclass(frozen=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool


@lru_cache(maxsize=1024)
def lunar_of(day: date) -> LunarDate:
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = lunar.getMonth()
    return LunarDate(lunar.getYear(), abs(month), lunar.getDay(), month < 0)


@lru_cache(maxsize=256)
def lunar_month_days(year: int, month: int, leap: bool) -> int:
    return int(LunarMonth.fromYm(year, -month if leap else month).getDayCount())


@lru_cache(maxsize=256)
def has_leap_month(year: int, month: int) -> bool:
    return int(LunarYear.fromYear(year).getLeapMonth()) == month


@dataclass(frozen=True)
class LunarKey:
    """Members with a lunar birthday in `month` (a leap month if `leap`) on one of `days`."""

    month: int
    leap: bool
    days: tuple[int, ...]


@dataclass(frozen=True)
class BirthdayKeys:
    solar: tuple[tuple[int, int], ...]
    lunar: tuple[LunarKey, ...]


def birthday_keys(today: date) -> BirthdayKeys:
    """Which stored birthdays are celebrated on `today`.

    Solar: the same month and day; Feb 29 birthdays on Feb 28 in common years.
    Lunar, once per lunar year: a birthday on day 30 of a month that has 29 days this year is
    celebrated on its last day; a leap-month birthday is celebrated in that leap month when
    the year has one, else in the ordinary month; an ordinary birthday never in a leap month.
    """
    solar: list[tuple[int, int]] = [(today.month, today.day)]
    if today.month == 2 and today.day == 28 and not gregorian.isleap(today.year):
        solar.append((2, 29))
    lunar = lunar_of(today)
    days: tuple[int, ...] = (lunar.day,)
    if lunar.day == 29 and lunar_month_days(lunar.year, lunar.month, lunar.leap) == 29:
        days = (29, 30)
    keys = [LunarKey(lunar.month, lunar.leap, days)]
    if not lunar.leap and not has_leap_month(lunar.year, lunar.month):
        keys.append(LunarKey(lunar.month, True, days))
    return BirthdayKeys(tuple(solar), tuple(keys))


FestivalKind = Literal["solar", "lunar", "term", "eve"]


@dataclass(frozen=True)
class FestivalRule:
    key: str
    kind: FestivalKind
    month: int = 0
    day: int = 0
    term: str = ""


def falls_on(rule: FestivalRule, day: date) -> bool:
    """Whether a festival falls on this (local) date."""
    if rule.kind == "solar":
        return (day.month, day.day) == (rule.month, rule.day)
    if rule.kind == "term":
        lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
        return bool(lunar.getJieQi() == rule.term)
    if rule.kind == "eve":  # 除夕: the last day of the lunar year, whether the 29th or 30th
        tomorrow = lunar_of(day + timedelta(days=1))
        return (tomorrow.month, tomorrow.day, tomorrow.leap) == (1, 1, False)
    lunar = lunar_of(day)
    return not lunar.leap and (lunar.month, lunar.day) == (rule.month, rule.day)


def occurrences(rule: FestivalRule, year: int) -> list[date]:
    """The Gregorian dates in `year` on which a festival falls (computed, not scanned)."""
    if rule.kind == "solar":
        try:
            return [date(year, rule.month, rule.day)]
        except ValueError:
            return []
    found: list[date] = []
    for lunar_year in (year - 1, year):
        if rule.kind == "term":
            solar = Lunar.fromYmd(lunar_year, 1, 1).getJieQiTable()[rule.term]
        elif rule.kind == "eve":
            solar = Lunar.fromYmd(lunar_year + 1, 1, 1).getSolar().next(-1)
        else:
            solar = Lunar.fromYmd(lunar_year, rule.month, rule.day).getSolar()
        day = date(solar.getYear(), solar.getMonth(), solar.getDay())
        if day.year == year and day not in found:
            found.append(day)
    return found


WorkdayStatus = Literal["workday", "holiday", "unknown"]


def workday_status(day: date) -> WorkdayStatus:
    """Official working day (调休 included), holiday, or unknown: the State Council has not
    published that year's arrangement (or the library predates it)."""
    try:
        return "workday" if chinese_calendar.is_workday(day) else "holiday"
    except NotImplementedError:
        return "unknown"


def is_working_day(day: date, *, statutory: frozenset[date] = frozenset()) -> bool:
    """A working day; for an unpublished year, Monday to Friday except the statutory
    festival days given (the caller has warned admins that this is a fallback)."""
    status = workday_status(day)
    if status != "unknown":
        return status == "workday"
    return day.weekday() < 5 and day not in statutory


def next_working_day(day: date, *, statutory: frozenset[date] = frozenset()) -> date:
    """The first working day on or after `day`."""
    while not is_working_day(day, statutory=statutory):
        day += timedelta(days=1)
    return day
