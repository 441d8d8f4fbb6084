"""Birthdays as members type them: solar dates and lunar (农历) dates with leap months.

Parsing is a pure decision: it returns a Birthday or a BirthdayError whose key names the
catalogue hint to show, so the conversation can keep its state and ask again.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from lunar_python import LunarMonth, LunarYear

CalendarKind = Literal["solar", "lunar"]

LUNAR_MONTH_NAMES = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
_MONTH_WORDS = {
    "正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
    "九": 9, "十": 10, "十一": 11, "冬": 11, "十二": 12, "腊": 12,
}  # fmt: skip
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
EARLIEST_BIRTH_YEAR = 1930
YOUNGEST_MEMBER_AGE = 14


@dataclass(frozen=True)
class Birthday:
    kind: CalendarKind
    month: int
    day: int
    leap: bool = False
    year: int | None = None


@dataclass(frozen=True)
class BirthdayError:
    key: str
    params: dict[str, int | str] = field(default_factory=dict)


def lunar_day_name(day: int) -> str:
    if day == 10:
        return "初十"
    if day == 20:
        return "二十"
    if day == 30:
        return "三十"
    tens = ("初", "十", "廿")[day // 10]
    units = "一二三四五六七八九"[day % 10 - 1]
    return tens + units


def lunar_month_name(month: int, leap: bool) -> str:
    return ("闰" if leap else "") + LUNAR_MONTH_NAMES[month - 1] + "月"


def _lunar_day_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    special = {"初十": 10, "二十": 20, "三十": 30, "十": 10, "廿十": 20}
    if word in special:
        return special[word]
    prefixes = {"初": 0, "十": 10, "廿": 20, "二十": 20, "三十": 30}
    for prefix, tens in sorted(prefixes.items(), key=lambda item: -len(item[0])):
        rest = word.removeprefix(prefix)
        if rest != word and rest in _DIGITS:
            return tens + _DIGITS[rest]
    return None


def _lunar_month_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in _MONTH_WORDS:
        return _MONTH_WORDS[word]
    if word.startswith("十") and word[1:] in _DIGITS:
        return 10 + _DIGITS[word[1:]]
    return None


_LUNAR = re.compile(
    r"^(?:农历|阴历|旧历)\s*(?:(?P<year>\d{4})\s*年)?\s*(?P<leap>闰)?\s*"
    r"(?P<month>\d{1,2}|[正一二三四五六七八九十冬腊]{1,3})\s*月\s*"
    r"(?P<day>\d{1,2}|[初十廿二三一四五六七八九]{1,3})\s*[日号]?$"
)
# The same in English (spaces are gone by now): lunar 8-15, lunar leap 6-10, lunar 1995-8-15.
_LUNAR_EN = re.compile(
    r"^lunar(?:(?P<year>\d{4})[-/.])?(?P<leap>leap)?(?P<month>\d{1,2})[-/.](?P<day>\d{1,2})$",
    re.IGNORECASE,
)
_SOLAR_FULL = re.compile(
    r"^(?P<year>\d{4})\s*(?:[-/.年]\s*)?(?P<month>\d{1,2})\s*(?:[-/.月]\s*)?(?P<day>\d{1,2})\s*[日号]?$"
)
_SOLAR_SHORT = re.compile(r"^(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*[日号]?$")


def _check_year(year: int, today: date) -> BirthdayError | None:
    latest = today.year - YOUNGEST_MEMBER_AGE
    if not EARLIEST_BIRTH_YEAR <= year <= latest:
        return BirthdayError("bday_bad_year", {"earliest": EARLIEST_BIRTH_YEAR, "latest": latest})
    return None


def _parse_lunar(match: re.Match[str], today: date) -> Birthday | BirthdayError:
    month = _lunar_month_number(match["month"])
    if month is None or not 1 <= month <= 12:
        return BirthdayError("bday_bad_lunar_month")
    day = _lunar_day_number(match["day"])
    if day is None or not 1 <= day <= 30:
        return BirthdayError("bday_bad_lunar_day")
    leap = match["leap"] is not None
    year = int(match["year"]) if match["year"] else None
    if year is not None:
        if (problem := _check_year(year, today)) is not None:
            return problem
        if leap and LunarYear.fromYear(year).getLeapMonth() != month:
            return BirthdayError("bday_no_such_leap", {"year": year, "month": month})
        days = LunarMonth.fromYm(year, -month if leap else month).getDayCount()
        if day > days:
            return BirthdayError("bday_short_lunar_month", {"year": year, "days": days})
    return Birthday("lunar", month, day, leap, year)


def _parse_solar(year: int | None, month: int, day: int, today: date) -> Birthday | BirthdayError:
    if not 1 <= month <= 12:
        return BirthdayError("bday_bad_month", {"month": month})
    # Feb 29 is a real birthday when no year is given; leap-year checks need the year.
    days = calendar.monthrange(year if year is not None else 2000, month)[1]
    if not 1 <= day <= days:
        return BirthdayError("bday_bad_day", {"month": month, "days": days})
    if year is not None and (problem := _check_year(year, today)) is not None:
        return problem
    return Birthday("solar", month, day, False, year)


def parse_birthday(text: str, *, today: date) -> Birthday | BirthdayError:
    """Parse 1995-08-15, 8月15日, 农历八月十五, 农历1995年闰六月初十 and their variants."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not cleaned:
        return BirthdayError("bday_empty")
    if match := _LUNAR.match(cleaned) or _LUNAR_EN.match(cleaned):
        return _parse_lunar(match, today)
    if cleaned.lower().startswith(("农历", "阴历", "旧历", "lunar")):
        if re.search(r"(十[三四五六七八九]|[2-9]\d|1[3-9])月", cleaned):
            return BirthdayError("bday_bad_lunar_month")
        return BirthdayError("bday_bad_lunar_format")
    if match := _SOLAR_FULL.match(cleaned):
        return _parse_solar(int(match["year"]), int(match["month"]), int(match["day"]), today)
    if match := _SOLAR_SHORT.match(cleaned):
        return _parse_solar(None, int(match["month"]), int(match["day"]), today)
    return BirthdayError("bday_bad_format")


def format_birthday(birthday: Birthday, lang: str, *, show_year: bool = True) -> str:
    """The birthday as the member would write it, in their language."""
    year = birthday.year if show_year else None
    if birthday.kind == "lunar":
        if lang == "en":
            leap = "leap " if birthday.leap else ""
            text = f"lunar {leap}month {birthday.month}, day {birthday.day}"
            return f"{text}, {year}" if year else text
        prefix = f"农历{year}年" if year else "农历"
        return (
            prefix + lunar_month_name(birthday.month, birthday.leap) + lunar_day_name(birthday.day)
        )
    if lang == "en":
        text = f"{calendar.month_abbr[birthday.month]} {birthday.day}"
        return f"{text}, {year}" if year else text
    text = f"{birthday.month}月{birthday.day}日"
    return f"{year}年{text}" if year else text
