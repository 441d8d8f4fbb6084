"""Property-based fuzzing of the parsers people's input goes through: nothing escapes as an
exception, and every rejection names a message in both catalogues. 500 examples each in the
suite, 2,000 in `make soak` (UNIONBRIDGE_SOAK=1)."""

from __future__ import annotations

import html
import os
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import ConfigError, parse_config
from bot.core.callbacks import known, registered
from bot.core.text_split import split_html, visible_length
from bot.core.when import WhenError, parse_when
from bot.emulator.html_check import parse_html
from bot.greetings.birthday_dates import BirthdayError, parse_birthday
from bot.strings import catalogue

EXAMPLES = settings(
    max_examples=2000 if os.environ.get("UNIONBRIDGE_SOAK") else 500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ZONE = ZoneInfo("Asia/Shanghai")
TIME_WORDS = [
    "今天", "明天", "后天", "大后天", "今晚", "明早", "明晚", "下周", "周", "星期", "礼拜", "上午",
    "下午", "晚上", "中午", "凌晨", "点", "半", "刻", "分", "小时", "分钟", "后", "以后", "个",
    "月", "日", "号", "年", ":", "：", "-", "/", " ", "一", "二", "两", "三", "五", "八", "九",
    "十", "天", "tomorrow", "today", "in", "hours", "闰", "农历", "初", "廿", "正", "腊",
]  # fmt: skip
PIECES = st.one_of(st.sampled_from(TIME_WORDS), st.integers(0, 3000).map(str), st.text(max_size=3))
TYPED = st.lists(PIECES, max_size=8).map("".join)


def _in_both_catalogues(key: str) -> bool:
    return key in catalogue("zh") and key in catalogue("en")


@EXAMPLES
@given(text=TYPED, minutes=st.integers(0, 60 * 24 * 400))
def test_times_parse_or_say_why(text: str, minutes: int) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    result = parse_when(text, now=now, zone=ZONE)
    if isinstance(result, WhenError):
        assert _in_both_catalogues(result.key), result.key
    else:
        assert now < result <= now + timedelta(days=90)


@EXAMPLES
@given(text=TYPED, days=st.integers(0, 365 * 3))
def test_birthdays_parse_or_say_why(text: str, days: int) -> None:
    today = date(2025, 1, 1) + timedelta(days=days)
    result = parse_birthday(text, today=today)
    if isinstance(result, BirthdayError):
        assert _in_both_catalogues(result.key), result.key
    else:
        assert 1 <= result.month <= 12 and 1 <= result.day <= 31


@EXAMPLES
@given(
    data=st.one_of(
        st.text(max_size=80),
        st.builds(
            lambda prefix, rest: f"{prefix}:{rest}",
            st.sampled_from(sorted(registered()) or ["x"]),
            st.text(alphabet=st.characters(codec="ascii"), max_size=40),
        ),
    )
)
def test_callback_data_parses_to_a_value_or_nothing(data: str) -> None:
    for kind in registered().values():
        value = kind.parse(data)
        if value is not None:
            assert value.pack() == data or kind.parse(value.pack()) == value
    assert known(data) in (True, False)


TAGS = ["b", "i", "u", "s", "code", "tg-spoiler"]
WORDS = st.sampled_from(
    [
        "工会",
        "通知",
        "明天",
        "加班费",
        "。",
        "，",
        "\n",
        "\n\n",
        " ",
        "&amp;",
        "&lt;",
        "a",
        "😀",
        "!",
    ]
)


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        if depth < 2 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            parts.append(f"<{tag}>{draw(markup(depth + 1))}</{tag}>")
        else:
            parts.append(draw(WORDS) * draw(st.integers(1, 12)))
    return "".join(parts)


@EXAMPLES
@given(text=markup(), limit=st.integers(20, 4096))
def test_html_splits_into_valid_pieces_within_the_limit(text: str, limit: int) -> None:
    pieces = split_html(text, limit)
    for piece in pieces:
        assert visible_length(parse_html(piece)) <= limit  # parses: no cut inside a tag
        assert not re.search(r"&[#a-zA-Z0-9]*$", piece.split("<")[0])  # no cut entity
    visible = "".join(parse_html(piece) for piece in pieces)
    assert re.sub(r"\s", "", visible) == re.sub(r"\s", "", html.unescape(parse_html(text)))


SECTIONS = ["telegram", "database", "union", "limits", "delivery", "notices", "greetings"]
KEYS = ["token", "url", "name", "departments", "admins", "concurrency", "time", "timezone"]
VALUES = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    st.sampled_from(["true", "[]", '["一车间"]', '"08:00"', '"Asia/Shanghai"', "[1, 2]"]),
)


@EXAMPLES
@given(
    lines=st.lists(st.tuples(st.sampled_from(SECTIONS), st.sampled_from(KEYS), VALUES), max_size=6)
)
def test_config_files_load_or_name_the_bad_key(lines: list[tuple[str, str, str]]) -> None:
    text = "".join(f"[{section}]\n{key} = {value}\n" for section, key, value in lines)
    try:
        parse_config(text, source="fuzz.toml")
    except ConfigError as exc:
        assert str(exc).startswith("fuzz.toml")
