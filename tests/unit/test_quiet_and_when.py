from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.flow import Rejected
from bot.core.when import WhenError, parse_when
from bot.members.callbacks import QuietPreset
from bot.members.quiet_hours import PRESETS, format_quiet, held_until, parse_quiet, read_quiet

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    """A Shanghai wall-clock time on 2026-11-<day>, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def test_parse_and_format_quiet_hours() -> None:
    assert parse_quiet("22:00-07:00") == (1320, 420)
    assert parse_quiet("22：00 至 7:30") == (1320, 450)
    assert parse_quiet("08:00-16:00") == (480, 960)
    for bad in ("25:00-07:00", "22:00", "22:00-22:00", "晚上", "22:61-07:00"):
        assert parse_quiet(bad) is None
    assert format_quiet(1320, 420) == "22:00-07:00"


def test_what_quiet_asks_for() -> None:
    assert read_quiet("off") is None and read_quiet("关闭") is None
    assert read_quiet("23:00-08:00") == (1380, 480)
    assert read_quiet("25:00-07:00") == Rejected("quiet_bad", {"value": "25:00-07:00"})
    assert set(PRESETS) == set(QuietPreset) and PRESETS[QuietPreset.OFF] is None
    assert PRESETS[QuietPreset.DAY] == read_quiet("08:00-16:00")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(21, 59), None),
        (at(22, 0), at(7, 0, day=25)),
        (at(23, 30), at(7, 0, day=25)),
        (at(3, 0), at(7, 0)),
        (at(7, 0), None),
    ],
)
def test_quiet_hours_across_midnight(now: datetime, expected: datetime | None) -> None:
    assert held_until(now, 1320, 420, SHANGHAI) == expected


def test_daytime_quiet_hours_for_night_shift() -> None:
    assert held_until(at(9), 480, 960, SHANGHAI) == at(16)
    assert held_until(at(17), 480, 960, SHANGHAI) is None
    assert held_until(at(9), None, None, SHANGHAI) is None


NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25 08:00", at(8, day=25)),
        ("11月25日 8:00", at(8, day=25)),
        ("11-25 8点", at(8, day=25)),
        ("明天 8:00", at(8, day=25)),
        ("今天 18:30", at(18, 30)),
        ("18:30", at(18, 30)),
        ("8:00", at(8, day=25)),  # a bare time that has passed today means tomorrow
        ("后天 9:00", at(9, day=26)),
    ],
)
def test_when_parses_future_times(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW, zone=SHANGHAI) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("今天 9:00", "when_past"),
        ("昨天下午3点", "when_past"),  # a day gone by is past, not unreadable
        ("前天 14:30", "when_past"),
        ("2026-11-01 08:00", "when_past"),
        ("2027-06-01 08:00", "when_too_far"),
        ("2026-02-30 08:00", "when_bad_date"),
        ("25:00", "when_bad_date"),
        ("下周", "when_bad_format"),
    ],
)
def test_when_rejects(text: str, key: str) -> None:
    assert parse_when(text, now=NOW, zone=SHANGHAI) == WhenError(key)
