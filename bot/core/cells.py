"""Cells of an exported spreadsheet or CSV, made inert: a text beginning with = + - @ (or a
tab or carriage return) would be taken by Excel or LibreOffice as a formula — a member's
name could then run one on a cadre's machine. Such a text gets a leading apostrophe, as
OWASP advises, so it is shown, never evaluated."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """The value as it may go into a cell: numbers as they are, risky texts disarmed."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def inert_row(values: Iterable[object]) -> list[object]:
    return [inert(value) for value in values]


def moment_cell(moment: datetime | None, zone: ZoneInfo) -> datetime | str:
    """A moment as a spreadsheet cell: the union's wall-clock time as a real date (Excel and
    LibreOffice show it in the reader's own date format), or empty."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else ""


def moment_text(moment: datetime | None, zone: ZoneInfo) -> str:
    """A moment as CSV text: 2026-11-27 17:30, read the same in either language."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet: the headers, then the rows made inert; dates shown as 2026-11-27 17:30."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append(inert_row(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
