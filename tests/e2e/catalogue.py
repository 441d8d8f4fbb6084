"""Checking what the bot said through the catalogue, not through literals: a message matches
a key when its text could have come from that key's template (placeholders match anything,
or the given values exactly)."""

from __future__ import annotations

import html
import re
from functools import cache

from bot.emulator import SentMessage
from bot.emulator.html_check import parse_html
from bot.strings import Lang, catalogue, placeholders

_SLOT = "\x00{}\x00"


@cache
def _pieces(lang: Lang, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    template = catalogue(lang)[key]
    names = tuple(sorted(placeholders(template), key=len, reverse=True))
    rendered = template.format(**{name: _SLOT.format(name) for name in names})
    plain = parse_html(rendered)
    parts = re.split("\x00([^\x00]*)\x00", plain)
    return tuple(parts[0::2]), tuple(parts[1::2])


def pattern(key: str, lang: Lang = "zh", /, **values: object) -> re.Pattern[str]:
    literals, slots = _pieces(lang, key)
    regex = re.escape(literals[0])
    for slot, literal in zip(slots, literals[1:], strict=True):
        if slot in values:
            regex += re.escape(html.unescape(str(values[slot])))
        else:
            regex += "(?s:.*?)"
        regex += re.escape(literal)
    return re.compile(regex, re.DOTALL)


def says(text: str | SentMessage, key: str, lang: Lang = "zh", /, **values: object) -> bool:
    """Whether the text contains what the template of `key` renders to."""
    plain = text.text if isinstance(text, SentMessage) else text
    return pattern(key, lang, **values).search(plain) is not None


def said(
    messages: list[SentMessage], key: str, lang: Lang = "zh", /, **values: object
) -> SentMessage:
    """The first of these messages that says `key`; fails the test if none does."""
    for message in messages:
        if says(message, key, lang, **values):
            return message
    shown = [m.text[:80] for m in messages]
    raise AssertionError(f"no message says {key!r} ({values}) among {shown}")


def label(key: str, lang: Lang = "zh", /, **values: object) -> str:
    """The plain text of a catalogue entry (a button's label, say)."""
    template = catalogue(lang)[key]
    return parse_html(template.format(**{k: html.escape(str(v)) for k, v in values.items()}))
