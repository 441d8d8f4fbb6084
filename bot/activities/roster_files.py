"""Activity rosters as files in the reader's language: XLSX, and CSV in UTF-8 with a BOM so
Excel shows Chinese."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.cells import inert_row, moment_cell, moment_text, xlsx
from bot.core.labels import label
from bot.core.telegram_html import plain
from bot.strings import Lang, t
from storage.models import Member, Signup

COLUMNS = ("col_name", "col_department", "col_guests", "col_status", "col_signed_up",
           "col_checked_in")  # fmt: skip
Entries = list[tuple[Signup, Member]]


def headers(lang: Lang) -> list[str]:
    return [plain(t(lang, key)) for key in COLUMNS]


def rows(
    entries: Entries,
    zone: ZoneInfo,
    lang: Lang = "zh",
    when: Callable[[datetime | None, ZoneInfo], object] = moment_text,
) -> list[list[object]]:
    """One row per person; a name or department that looks like a formula is made inert."""
    return [
        inert_row(
            [
                member.name,
                member.department,
                signup.guests,
                plain(t(lang, label(signup.state))),
                when(signup.created_at, zone),
                when(signup.checked_in_at, zone),
            ]
        )
        for signup, member in entries
    ]


def to_csv(entries: Entries, zone: ZoneInfo, lang: Lang = "zh") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(lang))
    writer.writerows(rows(entries, zone, lang))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(entries: Entries, zone: ZoneInfo, lang: Lang = "zh") -> bytes:
    table = rows(entries, zone, lang, moment_cell)
    return xlsx(plain(t(lang, "sheet_roster")), headers(lang), table)
