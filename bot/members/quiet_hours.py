"""Quiet hours: when a member does not want non-urgent private messages, and the /quiet
presets."""

from __future__ import annotations

from bot.core.day_window import format_quiet, held_until, parse_quiet
from bot.core.flow import Rejected
from bot.core.keyboard import Button, Keyboard
from bot.members.callbacks import QuietPreset, QuietPress
from bot.strings import Lang, t

__all__ = ["PRESETS", "describe", "format_quiet", "held_until", "parse_quiet", "read_quiet"]

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
