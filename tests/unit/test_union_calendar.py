"""The calendar rules, pinned."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock, local_today
from bot.greetings.calendar import (
    FestivalRule,
    LunarKey,
    birthday_keys,
    falls_on,
    is_working_day,
    lunar_of,
    next_working_day,
    workday_status,
)


def lunar_matches(day: date, month: int, birth_day: int, leap: bool = False) -> bool:
    return any(
        key.month == month and key.leap == leap and birth_day in key.days
        for key in birthday_keys(day).lunar
    )


def celebrations(
    year_start: date, days: int, month: int, birth_day: int, leap: bool = False
) -> list[date]:
    return [
        year_start + timedelta(days=n)
        for n in range(days)
        if lunar_matches(year_start + timedelta(days=n), month, birth_day, leap)
    ]


def test_the_30th_of_a_29_day_month_is_celebrated_on_its_last_day() -> None:
    assert lunar_of(date(2026, 2, 16)).day == 29  # 腊月廿九, the last day of lunar 2025
    assert lunar_matches(date(2026, 2, 16), 12, 30)
    assert lunar_matches(date(2026, 2, 16), 12, 29)


def test_leap_month_birthdays() -> None:
    # 2026 has no leap 6th month: 闰六月初十 falls on 六月初十.
    assert lunar_matches(date(2026, 7, 23), 6, 10, leap=True)
    # 2036 has one: it falls in the leap month, not in the ordinary month.
    assert celebrations(date(2036, 1, 1), 366, 6, 10, leap=True) == [date(2036, 8, 1)]
    # A plain 六月初十 in 2025 (which has a leap 6th month) is celebrated once.
    assert celebrations(date(2025, 1, 1), 365, 6, 10) == [date(2025, 7, 4)]


def test_late_lunar_months_may_come_twice_or_not_at_all_in_a_gregorian_year() -> None:
    # 腊月初一 of lunar 2023 and of lunar 2024 both fall in 2024; none falls in 2025.
    assert celebrations(date(2024, 1, 1), 366, 12, 1) == [date(2024, 1, 11), date(2024, 12, 31)]
    assert celebrations(date(2025, 1, 1), 365, 12, 1) == []


def test_feb_29_birthdays_on_feb_28_in_common_years() -> None:
    assert (2, 29) in birthday_keys(date(2026, 2, 28)).solar
    assert (2, 29) not in birthday_keys(date(2028, 2, 28)).solar
    assert birthday_keys(date(2028, 2, 29)).solar == ((2, 29),)


FESTIVALS = {
    "eve": FestivalRule("chuxi", "eve"),
    "spring": FestivalRule("chunjie", "lunar", 1, 1),
    "qingming": FestivalRule("qingming", "term", term="清明"),
    "midautumn": FestivalRule("zhongqiu", "lunar", 8, 15),
}


def test_festivals() -> None:
    assert falls_on(FESTIVALS["eve"], date(2026, 2, 16))  # a 腊月廿九
    assert not falls_on(FESTIVALS["eve"], date(2026, 2, 15))
    assert falls_on(FESTIVALS["spring"], date(2026, 2, 17))
    assert falls_on(FESTIVALS["qingming"], date(2025, 4, 4))
    assert falls_on(FESTIVALS["qingming"], date(2026, 4, 5))
    assert not falls_on(FESTIVALS["qingming"], date(2026, 4, 4))
    assert falls_on(FESTIVALS["midautumn"], date(2026, 9, 25))


def test_today_is_the_unions_date_not_utcs() -> None:
    clock = ManualClock(datetime(2026, 2, 16, 20, 0, tzinfo=UTC))
    today = local_today(clock, ZoneInfo("Asia/Shanghai"))
    assert today == date(2026, 2, 17)
    assert falls_on(FESTIVALS["spring"], today)


def test_working_days_know_the_official_arrangement() -> None:
    assert workday_status(date(2026, 10, 1)) == "holiday"
    assert workday_status(date(2026, 2, 17)) == "holiday"
    assert workday_status(date(2026, 11, 24)) == "workday"
    assert next_working_day(date(2026, 10, 1)) > date(2026, 10, 1)


@pytest.mark.parametrize("day", [date(2099, 10, 1)])
def test_an_unpublished_year_is_unknown_and_falls_back_to_statutory_days(day: date) -> None:
    assert workday_status(day) == "unknown"
    assert not is_working_day(day, statutory=frozenset({day}))  # a Thursday, but 国庆
    assert is_working_day(date(2099, 10, 2), statutory=frozenset({day}))  # a Friday


def test_keys_shape() -> None:
    keys = birthday_keys(date(2026, 9, 25))  # 八月十五 in a year without a leap 8th month
    assert keys.lunar == (LunarKey(8, False, (15,)), LunarKey(8, True, (15,)))
