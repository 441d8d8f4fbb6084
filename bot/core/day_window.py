"""A daily window of the clock ('22:00-07:00', past midnight or not): reading and writing
one, and when a moment inside it ends. Quiet hours are such windows; pure, no Telegram."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

_RANGE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*[-–~至到]\s*(\d{1,2})[:：](\d{2})\s*$")


def parse_quiet(text: str) -> tuple[int, int] | None:
    """'22:00-07:00' -> (1320, 420) minutes after midnight; None if it is not a valid range."""
    match = _RANGE.match(text)
    if match is None:
        return None
    sh, sm, eh, em = (int(part) for part in match.groups())
    if sh > 23 or eh > 23 or sm > 59 or em > 59:
        return None
    start, end = sh * 60 + sm, eh * 60 + em
    return None if start == end else (start, end)


def format_quiet(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def held_until(
    now: datetime, start: int | None, end: int | None, zone: ZoneInfo
) -> datetime | None:
    """If `now` falls in the quiet hours, the instant they end (UTC); otherwise None."""
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    inside = start <= minute < end if start < end else minute >= start or minute < end
    if not inside:
        return None
    end_day = local.date() if minute < end else local.date() + timedelta(days=1)
    wake = datetime.combine(end_day, time(end // 60, end % 60), tzinfo=zone)
    return wake.astimezone(now.tzinfo)
