"""Case statistics for cadres: counts, medians, satisfaction, a chart and an export.

The export never names an anonymous reporter; the chart draws Chinese with a CJK font that
ships with a PyPI package (mplfonts), so no machine shows boxes instead of characters.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.cells import inert_row
from bot.core.charts import bar_chart
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
            if case.resolve_due < now:
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


def chart_png(stats: CaseStats, *, title: str, empty: str) -> bytes:
    """A bar chart of open cases by category, as PNG bytes."""
    labels = list(stats.open_by_category) or [empty]
    values = [stats.open_by_category[label] for label in labels] if stats.open_by_category else [0]
    return bar_chart(labels, values, title=title)


EXPORT_HEADERS = (
    "编号",
    "类别",
    "部门",
    "状态",
    "反映人",
    "提交时间",
    "受理时间",
    "办结时间",
    "满意",
)


def export_xlsx(
    all_cases: list[Case], reporters: dict[int, Member], *, zone: ZoneInfo, anonymous: str
) -> bytes:
    """Every case as a spreadsheet row; an anonymous reporter is never named."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "cases"
    sheet.append(EXPORT_HEADERS)

    def when(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    for case in all_cases:
        reporter = reporters.get(case.reporter_member_id or -1)
        who = anonymous if case.anonymous or reporter is None else reporter.name
        rating = "" if case.rating is None else ("是" if case.rating else "否")
        sheet.append(
            inert_row(
                [
                    case.id,
                    case.category,
                    case.department,
                    case.status,
                    who,
                    when(case.created_at),
                    when(case.acknowledged_at),
                    when(case.resolved_at),
                    rating,
                ]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
