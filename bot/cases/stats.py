"""Case statistics for cadres: counts, medians, satisfaction, a chart and an export.

The export never names an anonymous reporter; the chart draws Chinese with a CJK font that
ships with a PyPI package (mplfonts), so no machine shows boxes instead of characters.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.board import next_deadline
from bot.core.cells import moment_cell, xlsx
from bot.core.charts import bar_chart
from bot.core.labels import label
from bot.core.telegram_html import plain
from bot.strings import Lang, t
from storage import cases, members
from storage.cases import OPEN
from storage.models import Case, Member


@dataclass
class CaseStats:
    total: int = 0
    open_by_category: Counter[str] = field(default_factory=Counter)
    open_by_department: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    median_ack_hours: float | None = None
    median_resolve_hours: float | None = None
    rated: int = 0
    satisfied: int = 0


async def everything(session: AsyncSession) -> tuple[list[Case], dict[int, Member]]:
    """Every case, and the named reporters among them (an anonymous one is never looked up)."""
    found = await cases.all_cases(session)
    ids = {c.reporter_member_id for c in found if c.reporter_member_id and not c.anonymous}
    people = [await members.get(session, member_id) for member_id in ids]
    return found, {m.id: m for m in people if m is not None and m.id is not None}


def _hours(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 3600


def compute(all_cases: list[Case], *, now: datetime) -> CaseStats:
    stats = CaseStats(total=len(all_cases))
    acks, resolves = [], []
    for case in all_cases:
        if case.status in OPEN:
            stats.open_by_category[case.category] += 1
            stats.open_by_department[case.department] += 1
            if next_deadline(case) <= now:  # as the chair's escalation and /cases overdue
                stats.overdue += 1
        if (hours := _hours(case.created_at, case.acknowledged_at)) is not None:
            acks.append(hours)
        if (hours := _hours(case.created_at, case.resolved_at)) is not None:
            resolves.append(hours)
        if case.rating is not None:
            stats.rated += 1
            stats.satisfied += case.rating
    stats.median_ack_hours = statistics.median(acks) if acks else None
    stats.median_resolve_hours = statistics.median(resolves) if resolves else None
    return stats


def chart_png(
    stats: CaseStats, *, title: str, empty: str, name: Callable[[str], str] = str
) -> bytes:
    """A bar chart of open cases by category (named in the reader's language), as PNG."""
    found = stats.open_by_category.most_common()
    labels = [name(category) for category, _ in found] or [empty]
    values = [count for _, count in found] or [0]
    return bar_chart(labels, values, title=title)


EXPORT_COLUMNS = (
    "col_id",
    "col_category",
    "col_department",
    "col_status",
    "col_reporter",
    "col_submitted",
    "col_acknowledged",
    "col_resolved",
    "col_satisfied",
)


def export_xlsx(
    all_cases: list[Case],
    reporters: dict[int, Member],
    *,
    zone: ZoneInfo,
    lang: Lang,
    category: Callable[[str], str],
) -> bytes:
    """Every case as a spreadsheet row in the reader's language (headers, category, status,
    satisfied or not; dates as real dates); an anonymous reporter is never named."""
    anonymous = plain(t(lang, "case_anonymous"))
    rated = {None: "", True: plain(t(lang, "word_yes")), False: plain(t(lang, "word_no"))}

    def row(case: Case) -> list[object]:
        reporter = reporters.get(case.reporter_member_id or -1)
        who = anonymous if case.anonymous or reporter is None else reporter.name
        return [
            case.id,
            category(case.category),
            case.department,
            plain(t(lang, label(case.status))),
            who,
            moment_cell(case.created_at, zone),
            moment_cell(case.acknowledged_at, zone),
            moment_cell(case.resolved_at, zone),
            rated[None if case.rating is None else bool(case.rating)],
        ]

    headers = [plain(t(lang, key)) for key in EXPORT_COLUMNS]
    return xlsx(plain(t(lang, "sheet_cases")), headers, (row(case) for case in all_cases))
