"""Reading a filled-in template (「标题：…」 one field a line), as the activity and vote forms
take them: the values by field, the departments line, and a problem named by its line."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.flow import Rejected
from bot.strings import Html, Lang, t

EVERY_DEPARTMENT = ("全部", "all", "")


def bad(key: str, line: str) -> Rejected:
    """A problem with one line of the template (the catalogue text names it as {line})."""
    return Rejected(key, {"line": line})


def values_of(
    text: str, fields: dict[str, str], *, as_written: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The template's lines as field → value; lines naming no known field are ignored.
    Values are width-folded (「２０」, 「１９：００」) for parsing, except the fields in
    `as_written`: text shown to members keeps its Chinese punctuation (「？」 stays 「？」)."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        cut = min((at for at in (line.find(":"), line.find("：")) if at >= 0), default=-1)
        if cut < 0:
            continue
        field = fields.get(unicodedata.normalize("NFKC", line[:cut]).strip().lower())
        if field:
            value = line[cut + 1 :]
            kept = value if field in as_written else unicodedata.normalize("NFKC", value)
            values[field] = kept.strip()
    return values


def departments_of(raw: str, known: list[str], line: str) -> list[str] | Rejected | None:
    """None for every department, else the departments named (each must be a known one)."""
    if raw in EVERY_DEPARTMENT:
        return None
    chosen = [d.strip() for d in re.split(r"[、,，\s]+", raw) if d.strip()]
    if not chosen or any(d not in known for d in chosen):
        return Rejected("act_bad_departments", {"line": line, "known": "、".join(known)})
    return chosen


def example_day(now: datetime, zone: ZoneInfo) -> str:
    """A template's example date: the next Friday at least two days ahead, so a template sent
    back unchanged is in the future (a fixed date soon lies in the past)."""
    today = now.astimezone(zone).date()
    ahead = (4 - today.weekday()) % 7
    day = today + timedelta(days=ahead if ahead >= 2 else ahead + 7)
    return f"{day.month}月{day.day}日"


def template_text(key: str, lang: Lang, *, now: datetime, zone: ZoneInfo) -> Html:
    """A form's template ({day} in it) in this language, its example date ahead of now."""
    return t(lang, key, day=example_day(now, zone))
