"""Quiet hours: when a member does not want non-urgent private messages, and the /quiet
presets."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.flow import Rejected
from bot.core.keyboard import Button, Keyboard
from bot.members.callbacks import QuietPreset, QuietPress
from bot.strings import Lang, t

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


QuietHours = tuple[int, int] | None  # (start, end) minutes after midnight; None: none
OFF_WORDS = frozenset({"off", "关", "关闭", "取消"})
PRESETS: dict[QuietPreset, QuietHours] = {
    QuietPreset.NIGHT: (22 * 60, 7 * 60),
    QuietPreset.LATE: (23 * 60, 8 * 60),
    QuietPreset.DAY: (8 * 60, 16 * 60),  # the night shift sleeps by day
    QuietPreset.OFF: None,
}


def read_quiet(text: str) -> QuietHours | Rejected:
    """What `/quiet …` asks for: a range, or off; or why it cannot be read."""
    if text.strip().lower() in OFF_WORDS:
        return None
    parsed = parse_quiet(text)
    return parsed if parsed is not None else Rejected("quiet_bad", {"value": text})


def quiet_keyboard(lang: Lang) -> Keyboard:
    """The presets under /quiet, two to a row, then off."""
    buttons = [
        Button(
            format_quiet(*hours) if hours is not None else t(lang, "btn_quiet_off"),
            QuietPress(preset=preset),
        )
        for preset, hours in PRESETS.items()
    ]
    return Keyboard.of([buttons[:2], buttons[2:]])


def describe(start: int | None, end: int | None, lang: Lang) -> str:
    """A member's quiet hours as /quiet shows them."""
    if start is None or end is None:
        return t(lang, "word_none")
    return format_quiet(start, end)
