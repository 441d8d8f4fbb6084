"""When a cadre wants something sent: the times people type, in the union's zone.

今晚八点, 明早8点, 明天下午3点, 后天 14:30, 下周一上午9点, 周五 17:00, 12月5日 8:00,
2026-12-05 08:00, 半小时后, 两小时后, 18:30, tomorrow 8:00. Chinese numerals become digits
first; then a day (optional), a part of the day (optional) and a clock time, or a duration
from now. A bare time means its next occurrence; a named day that has passed is refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_AHEAD = timedelta(days=90)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十]+")
_DURATION = re.compile(
    r"^(?:(?P<n>\d+) ?个?(?P<half>半)?|(?P<only_half>半)个?) ?"
    r"(?P<unit>小时|钟头|分钟|分)(?:以?后|之后)$"
    r"|^in (?P<en_n>\d+) ?(?P<en_unit>hours?|minutes?|mins?)$"
)
_DAY = (
    r"(?:(?:(?P<year>\d{4})[-/.年])?(?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})[日号]?"
    r"|(?P<word>大后天|后天|明天|明日|明儿|今天|今日|今儿|昨天|昨日|前天|today|tomorrow|yesterday)"
    r"|(?P<fused>今晚|今早|今夜|明早|明晚|后晚)"
    r"|(?P<week>下个?|这个?|本)?(?:周|星期|礼拜)(?P<weekday>[1-7日天]))"
)
_PERIOD = r"(?P<period>凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|晚|早)"
_CLOCK = (
    r"(?P<hour>\d{1,2})"
    r"(?:[:：](?P<minute>\d{2})|[点时](?:(?P<dot_minute>\d{1,2})分?|(?P<half>半)|(?P<quarter>[13])刻|钟)?)"
)
_MOMENT = re.compile(f"^(?:{_DAY})? ?(?:{_PERIOD})? ?(?:{_CLOCK})?$")
_OFFSETS = {"今天": 0, "今日": 0, "今儿": 0, "today": 0, "明天": 1, "明日": 1, "明儿": 1}
_OFFSETS |= {"tomorrow": 1, "后天": 2, "大后天": 3}
# Read so that a day gone by is answered 「已经过去了」, not 「没看懂」.
_OFFSETS |= {"昨天": -1, "昨日": -1, "yesterday": -1, "前天": -2}
_FUSED = {"今晚": (0, "晚上"), "今夜": (0, "晚上"), "今早": (0, "早上"), "明早": (1, "早上")}
_FUSED |= {"明晚": (1, "晚上"), "后晚": (2, "晚上")}
_AFTERNOON = {"下午", "傍晚", "晚上", "夜里", "夜间", "晚"}


@dataclass(frozen=True)
class WhenError:
    key: str


def _number(numeral: str) -> str:
    """一 → 1, 十二 → 12, 二十三 → 23, 两 → 2 (up to 99)."""
    if "十" not in numeral:
        return "".join(str(_DIGITS[c]) for c in numeral)
    tens, _, ones = numeral.partition("十")
    value = (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    return str(value)


def normalise(text: str) -> str:
    """Full-width to half-width, one space at most, lower case, Chinese numerals to digits;
    spaces next to Chinese are dropped (明天 8点 = 明天8点), a space between numbers kept."""
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()
    cleaned = _NUMERAL.sub(lambda m: _number(m.group()), cleaned)
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", cleaned)


def _duration(match: re.Match[str]) -> timedelta:
    if match["en_n"]:
        amount = int(match["en_n"])
        return (
            timedelta(hours=amount)
            if match["en_unit"].startswith("h")
            else timedelta(minutes=amount)
        )
    hours = match["unit"] in ("小时", "钟头")
    whole = 0 if match["only_half"] else int(match["n"])
    half = 0.5 if (match["half"] or match["only_half"]) else 0.0
    return timedelta(hours=whole + half) if hours else timedelta(minutes=whole + half)


def _clock(match: re.Match[str]) -> time | WhenError:
    hour = int(match["hour"])
    minute = match["minute"] or match["dot_minute"]
    minutes = int(minute) if minute else 30 if match["half"] else 0
    if match["quarter"]:
        minutes = 15 * int(match["quarter"])
    period = match["period"] or (_FUSED[match["fused"]][1] if match["fused"] else None)
    if (period in _AFTERNOON and 1 <= hour < 12) or (period == "中午" and 1 <= hour <= 3):
        hour += 12
    elif period in ("凌晨", "晚上", "夜里") and hour == 12:
        hour = 0
    if hour > 23 or minutes > 59:
        return WhenError("when_bad_date")
    return time(hour, minutes)


def _weekday(match: re.Match[str], today: date) -> date:
    name = match["weekday"]
    target = 6 if name in ("日", "天", "7") else int(name) - 1
    monday = today - timedelta(days=today.weekday())
    if match["week"] and match["week"].startswith("下"):
        return monday + timedelta(days=7 + target)
    if match["week"]:  # 这周/本周: this week's, even if it has passed
        return monday + timedelta(days=target)
    ahead = (target - today.weekday()) % 7
    return today + timedelta(days=ahead)


def _day(match: re.Match[str], today: date) -> date | None:
    if match["month"]:
        year = int(match["year"]) if match["year"] else today.year
        day = date(year, int(match["month"]), int(match["day"]))
        if not match["year"] and day < today:
            day = date(year + 1, day.month, day.day)  # 1月5日 typed in December: next year's
        return day
    if match["word"]:
        return today + timedelta(days=_OFFSETS[match["word"]])
    if match["fused"]:
        return today + timedelta(days=_FUSED[match["fused"]][0])
    if match["weekday"]:
        return _weekday(match, today)
    return None


def parse_when(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | WhenError:
    """A future instant from what a cadre typed, or why it will not do."""
    cleaned = normalise(text)
    if duration := _DURATION.match(cleaned):
        return _check(now + _duration(duration), now)
    match = _MOMENT.match(cleaned)
    if not cleaned or match is None:
        return WhenError("when_bad_format")
    if match["hour"] is None:
        return WhenError("when_need_time" if match.group(0) else "when_bad_format")
    local_now = now.astimezone(zone)
    try:
        day = _day(match, local_now.date())
    except ValueError:
        return WhenError("when_bad_date")
    clock = _clock(match)
    if isinstance(clock, WhenError):
        return clock
    moment = datetime.combine(day or local_now.date(), clock, tzinfo=zone)
    if day is None and moment <= local_now:
        moment += timedelta(days=1)  # a bare time means its next occurrence
    return _check(moment.astimezone(now.tzinfo), now)


def _check(moment: datetime, now: datetime) -> datetime | WhenError:
    if moment <= now:
        return WhenError("when_past")
    if moment - now > MAX_AHEAD:
        return WhenError("when_too_far")
    return moment


def example_date(now: datetime, zone: ZoneInfo) -> str:
    """A date three days from today as a cadre would type it (prompts never show a past day)."""
    day = now.astimezone(zone).date() + timedelta(days=3)
    return f"{day.month}月{day.day}日 14:30"
