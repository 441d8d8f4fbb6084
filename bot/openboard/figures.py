"""The open board's figures, computed without Telegram or a database: the year's cases by
category with their median days, and the rules that keep every figure from pointing at a
person — a count under `[open] min_count` shows as 「<N」, and free text (a suggestion, a
cadre's reason) never carries a member's name, username, receipt code or a long number."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.cases.stats import compute
from storage.models import Case

SECONDS_PER_DAY = 86_400
# Telegram ids, phone numbers, ID-card numbers: any run this long is hidden.
_LONG_NUMBER = re.compile(r"\d{6,}")
EXCERPT_MAX = 60


@dataclass(frozen=True)
class Count:
    """A count as the board shows it: the number, or hidden behind 「<N」 when it is small
    enough to point at someone (zero points at nobody and is shown)."""

    value: int
    hidden: bool

    @classmethod
    def of(cls, value: int, min_count: int) -> Count:
        return cls(value, 0 < value < min_count)


def mask(value: int, min_count: int) -> str:
    """The number as the board prints it: 「<3」 for 1 or 2 when min_count is 3."""
    return f"<{min_count}" if Count.of(value, min_count).hidden else str(value)


@dataclass(frozen=True)
class CategoryRow:
    """One category's year: received, resolved, and the median days to resolve (None when
    too few were resolved for a median that is not one person's case)."""

    category: str
    received: int
    resolved: int
    median_days: float | None


def _in_year(moment: datetime | None, since: datetime) -> bool:
    return moment is not None and moment >= since


def case_rows(
    found: Iterable[Case], *, since: datetime, now: datetime, min_count: int
) -> list[CategoryRow]:
    """Per category: cases received since `since`, resolved since then, and the median days
    from receipt to resolution (the cadres' /casestats median, per category)."""
    by_category: dict[str, list[Case]] = defaultdict(list)
    for case in found:
        by_category[case.category].append(case)
    rows = []
    for category, group in sorted(by_category.items(), key=lambda pair: -len(pair[1])):
        received = sum(1 for case in group if _in_year(case.created_at, since))
        done = [case for case in group if _in_year(case.resolved_at, since)]
        hours = compute(done, now=now).median_resolve_hours if len(done) >= min_count else None
        days = None if hours is None else round(hours / 24, 1)
        if received or done:
            rows.append(CategoryRow(category, received, len(done), days))
    return rows


def redact(text: str, *, words: Sequence[str], codes: Sequence[str], hidden: str) -> str:
    """Free text with every member's name or username, every receipt code and every long
    number replaced by `hidden` (longest first, so 王小明 goes before 王小)."""
    secrets = {w for w in (*words, *codes) if len(w.strip()) >= 2}
    for secret in sorted(secrets, key=len, reverse=True):
        text = re.sub(re.escape(secret), hidden, text, flags=re.IGNORECASE)
    return _LONG_NUMBER.sub(hidden, text)


def excerpt(text: str, limit: int = EXCERPT_MAX) -> str:
    """The first words of a text on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
