"""When a cadre wants something sent: typed dates and times, in the union's zone."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_AHEAD = timedelta(days=90)
_TIME = r"(?P<hour>\d{1,2})[:：点](?P<minute>\d{2})?分?"
_FULL = re.compile(
    r"^(?P<year>\d{4})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})[日号]?\s*" + _TIME + "$"
)
_SHORT = re.compile(r"^(?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})[日号]?\s*" + _TIME + "$")
_RELATIVE = re.compile(r"^(?P<word>今天|明天|后天|today|tomorrow)?\s*" + _TIME + "$", re.IGNORECASE)
_OFFSETS = {"今天": 0, "today": 0, "明天": 1, "tomorrow": 1, "后天": 2}


@dataclass(frozen=True)
class WhenError:
    key: str


def parse_when(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | WhenError:
    """A future instant from '2026-11-25 08:00', '11月25日 8:00', '明天 8:00' or '18:30'."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    local_now = now.astimezone(zone)
    try:
        if match := _FULL.match(cleaned):
            day = date(int(match["year"]), int(match["month"]), int(match["day"]))
        elif match := _SHORT.match(cleaned):
            day = date(local_now.year, int(match["month"]), int(match["day"]))
            if day < local_now.date():
                day = date(local_now.year + 1, day.month, day.day)
        elif match := _RELATIVE.match(cleaned):
            word = (match["word"] or "").lower()
            day = local_now.date() + timedelta(days=_OFFSETS.get(word, 0))
        else:
            return WhenError("when_bad_format")
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        moment = datetime.combine(day, time(hour, minute), tzinfo=zone)
    except ValueError:
        return WhenError("when_bad_date")
    if match.groupdict().get("word") is None and _RELATIVE.match(cleaned) and moment <= local_now:
        moment += timedelta(days=1)  # a bare time means its next occurrence
    if moment <= local_now:
        return WhenError("when_past")
    if moment - local_now > MAX_AHEAD:
        return WhenError("when_too_far")
    return moment.astimezone(now.tzinfo)
