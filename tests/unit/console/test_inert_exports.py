"""Exported cells that begin with = + - @ are made inert, in the console's roster export and
in the chat's activity and case exports alike; an anonymous reporter is never named."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.activities.roster_files import to_csv, to_xlsx
from bot.cases.stats import export_xlsx as cases_xlsx
from bot.core.cells import inert
from bot.members.directory import export_xlsx as roster_xlsx
from storage.models import Case, Member, Signup
from storage.statuses import SignupState

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def test_risky_texts_get_an_apostrophe_and_numbers_stay() -> None:
    assert [inert(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert inert("王芳") == "王芳" and inert(-5) == -5 and inert(None) is None


def _member(name: str, index: int) -> Member:
    return Member(id=index, name=name, department="=A1", phone="+8613800000000",
                  registered_at=NOW, created_at=NOW, updated_at=NOW)  # fmt: skip


def _cells(data: bytes) -> list[object]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]


def test_the_roster_export_is_inert() -> None:
    people = [_member(name, n) for n, name in enumerate(FORMULAS, 1)]
    cells = _cells(roster_xlsx(people, admins=frozenset(), zone=ZONE, lang="zh"))
    texts = [c for c in cells if isinstance(c, str) and c]
    assert texts and not any(text.startswith(("=", "+", "-", "@", "\t")) for text in texts)


def test_the_activity_exports_are_inert() -> None:
    entries = [(Signup(activity_id=1, member_id=n, state=SignupState.CONFIRMED, created_at=NOW),
                _member(name, n)) for n, name in enumerate(FORMULAS, 1)]  # fmt: skip
    cells = _cells(to_xlsx(entries, ZONE))
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "@")) for c in cells)
    rows = list(csv.reader(io.StringIO(to_csv(entries, ZONE).decode("utf-8-sig"))))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row)


def test_the_case_export_is_inert_and_never_names_an_anonymous_reporter() -> None:
    found = [
        Case(id=1, code="A1", category="=cmd|' /C calc'!A0", department="一车间", text="x",
             anonymous=True, reporter_member_id=7, created_at=NOW, ack_due=NOW, resolve_due=NOW),
    ]  # fmt: skip
    cells = _cells(cases_xlsx(found, {7: _member("王芳", 7)}, zone=ZONE, lang="zh", category=str))
    assert "'=cmd|' /C calc'!A0" in cells and "匿名" in cells and "王芳" not in cells
