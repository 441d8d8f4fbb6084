from datetime import date

import pytest

from bot.greetings.birthday_dates import Birthday, BirthdayError, format_birthday, parse_birthday

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1995-08-15", Birthday("solar", 8, 15, False, 1995)),
        ("1995/8/15", Birthday("solar", 8, 15, False, 1995)),
        ("1995年8月15日", Birthday("solar", 8, 15, False, 1995)),
        ("19950815", Birthday("solar", 8, 15, False, 1995)),
        ("８月１５日", Birthday("solar", 8, 15)),
        ("8-15", Birthday("solar", 8, 15)),
        ("2月29日", Birthday("solar", 2, 29)),
        ("农历八月十五", Birthday("lunar", 8, 15)),
        ("阴历正月初一", Birthday("lunar", 1, 1)),
        ("农历闰六月初十", Birthday("lunar", 6, 10, True)),
        ("农历腊月廿九", Birthday("lunar", 12, 29)),
        ("农历冬月二十", Birthday("lunar", 11, 20)),
        ("农历十二月三十", Birthday("lunar", 12, 30)),
        ("农历8月15", Birthday("lunar", 8, 15)),
        ("农历1995年八月十五", Birthday("lunar", 8, 15, False, 1995)),
        ("农历1995年闰八月初一", Birthday("lunar", 8, 1, True, 1995)),
    ],
)
def test_parses_what_members_type(text: str, expected: Birthday) -> None:
    assert parse_birthday(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "bday_empty"),
        ("   ", "bday_empty"),
        ("abc", "bday_bad_format"),
        ("2月30日", "bday_bad_day"),
        ("1995-02-29", "bday_bad_day"),
        ("1996-02-29", None),
        ("13月1日", "bday_bad_month"),
        ("农历十三月", "bday_bad_lunar_month"),
        ("农历十三月初一", "bday_bad_lunar_month"),
        ("农历八月三十一", "bday_bad_lunar_day"),
        ("农历八月", "bday_bad_lunar_format"),
        ("1899-01-01", "bday_bad_year"),
        ("2020-01-01", "bday_bad_year"),
        ("农历1994年闰六月初十", "bday_no_such_leap"),
        # The 12th month of lunar year 2025 has only 29 days.
        ("农历2025年腊月三十", "bday_bad_year"),
        ("农历2011年腊月三十", "bday_short_lunar_month"),
    ],
)
def test_bad_input_names_the_problem(text: str, key: str | None) -> None:
    parsed = parse_birthday(text, today=TODAY)
    if key is None:
        assert isinstance(parsed, Birthday)
    else:
        assert isinstance(parsed, BirthdayError)
        assert parsed.key == key


def test_day_error_says_how_many_days_the_month_has() -> None:
    parsed = parse_birthday("2月30日", today=TODAY)
    assert parsed == BirthdayError("bday_bad_day", {"month": 2, "days": 29})


def test_formats_in_each_language() -> None:
    lunar = Birthday("lunar", 6, 10, True, 1995)
    assert format_birthday(lunar, "zh") == "农历1995年闰六月初十"
    assert format_birthday(lunar, "zh", show_year=False) == "农历闰六月初十"
    assert format_birthday(lunar, "en") == "lunar leap month 6, day 10, 1995"
    assert format_birthday(Birthday("solar", 8, 15, False, 1995), "en") == "Aug 15, 1995"
    assert format_birthday(Birthday("lunar", 12, 21), "zh") == "农历腊月廿一"
    assert format_birthday(Birthday("lunar", 11, 30), "zh") == "农历冬月三十"
