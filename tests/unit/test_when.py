"""Times as cadres type them, pinned against an injected clock: Wednesday 2 December 2026,
09:30 in Shanghai."""

from datetime import UTC, datetime

import pytest

from bot.core.when import WhenError, example_date, parse_when
from tests.unit.test_quiet_and_when import SHANGHAI

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026 if month == 12 else 2027, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今晚八点", local(12, 2, 20)),
        ("今晚 8 点", local(12, 2, 20)),
        ("明早8点", local(12, 3, 8)),
        ("明天下午3点", local(12, 3, 15)),
        ("明天下午三点半", local(12, 3, 15, 30)),
        ("后天 14:30", local(12, 4, 14, 30)),
        ("下周一上午9点", local(12, 7, 9)),
        ("下星期一 9:00", local(12, 7, 9)),
        ("周五 17:00", local(12, 4, 17)),
        ("星期天上午十点", local(12, 6, 10)),
        ("12月5日 8:00", local(12, 5, 8)),
        ("12月5号8点", local(12, 5, 8)),
        ("2026-12-05 08:00", local(12, 5, 8)),
        ("2026-12-5 8:00", local(12, 5, 8)),
        ("2026年12月5日 8:00", local(12, 5, 8)),
        ("1月5日 8:00", local(1, 5, 8)),  # typed in December: next year's
        ("半小时后", local(12, 2, 10)),
        ("两小时后", local(12, 2, 11, 30)),
        ("一个半小时后", local(12, 2, 11)),
        ("30分钟后", local(12, 2, 10)),
        ("晚上八点半", local(12, 2, 20, 30)),
        ("十点一刻", local(12, 2, 10, 15)),
        ("中午12点", local(12, 2, 12)),
        ("中午1点", local(12, 2, 13)),
        ("凌晨2点", local(12, 3, 2)),
        ("8:00", local(12, 3, 8)),  # a bare time that has passed today means tomorrow
        ("18：30", local(12, 2, 18, 30)),  # a full-width colon
        ("明天 8:00", local(12, 3, 8)),
        ("tomorrow 8:00", local(12, 3, 8)),
        ("in 2 hours", local(12, 2, 11, 30)),
    ],
)
def test_what_cadres_type(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW, zone=SHANGHAI) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("今天早上8点", "when_past"),
        ("这周一 9点", "when_past"),
        ("2026-12-01 08:00", "when_past"),
        ("明天", "when_need_time"),
        ("下周一", "when_need_time"),
        ("下周", "when_bad_format"),
        ("随便什么时候", "when_bad_format"),
        ("", "when_bad_format"),
        ("25:00", "when_bad_date"),
        ("2月30日 8:00", "when_bad_date"),
        ("2027-06-01 08:00", "when_too_far"),
    ],
)
def test_times_that_will_not_do_say_why(text: str, key: str) -> None:
    assert parse_when(text, now=NOW, zone=SHANGHAI) == WhenError(key)


def test_the_prompt_example_is_never_a_past_day() -> None:
    assert example_date(NOW, SHANGHAI) == "12月5日 14:30"
    parsed = parse_when(example_date(NOW, SHANGHAI), now=NOW, zone=SHANGHAI)
    assert isinstance(parsed, datetime) and parsed > NOW
