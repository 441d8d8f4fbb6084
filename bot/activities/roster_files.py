"""Activity rosters as files: XLSX, and CSV in UTF-8 with a BOM so Excel shows Chinese."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.cells import inert_row
from bot.core.labels import label
from bot.strings import Lang, t
from storage.models import Member, Signup

HEADERS = ("姓名", "部门", "家属人数", "状态", "报名时间", "签到时间")


def rows(
    entries: list[tuple[Signup, Member]], zone: ZoneInfo, lang: Lang = "zh"
) -> list[list[object]]:
    """One row per person; a name or department that looks like a formula is made inert."""

    def when(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [
        inert_row(
            [
                member.name,
                member.department,
                signup.guests,
                t(lang, label(signup.state)),
                when(signup.created_at),
                when(signup.checked_in_at),
            ]
        )
        for signup, member in entries
    ]


def to_csv(entries: list[tuple[Signup, Member]], zone: ZoneInfo) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows(entries, zone))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(entries: list[tuple[Signup, Member]], zone: ZoneInfo) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows(entries, zone):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
