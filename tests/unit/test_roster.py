from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.greetings.birthday_dates import Birthday
from bot.members.roster_file import RosterFileError, RosterRow, RowProblem, check_rows, read_table

DEPTS = ["一车间", "二车间"]
TODAY = date(2026, 11, 24)


def _rows(table: list[list[str]]) -> list[RosterRow | RowProblem]:
    return list(check_rows(table, departments=DEPTS, today=TODAY))


def test_good_rows_with_every_column() -> None:
    rows = _rows(
        [
            ["姓名", "部门", "Telegram", "生日", "电话"],
            ["王小明", "一车间", "@wang_xm", "农历八月十五", "138-0000-0000"],
            ["李华", "二车间", "123456789", "1990-01-02", ""],
            ["赵六", "二车间", "", "", ""],
            ["", "", "", "", ""],
        ]
    )
    assert rows == [
        RosterRow(
            2, "王小明", "一车间", None, "wang_xm", Birthday("lunar", 8, 15), "138-0000-0000"
        ),
        RosterRow(3, "李华", "二车间", 123456789, None, Birthday("solar", 1, 2, False, 1990), None),
        RosterRow(4, "赵六", "二车间"),
    ]


def test_each_bad_row_says_why() -> None:
    rows = _rows(
        [
            ["name", "department", "telegram", "birthday", "phone"],
            ["", "一车间", "", "", ""],
            ["A", "三车间", "", "", ""],
            ["B", "一车间", "@x", "", ""],
            ["C", "一车间", "", "2月30日", ""],
            ["D", "一车间", "", "", "call me"],
            ["E", "一车间", "@eeeee", "", ""],
            ["E2", "一车间", "@EEEEE", "", ""],
        ]
    )
    assert [(r.line, r.key) for r in rows if isinstance(r, RowProblem)] == [
        (2, "roster_bad_name"),
        (3, "roster_bad_department"),
        (4, "roster_bad_telegram"),
        (5, "roster_bad_birthday"),
        (6, "roster_bad_phone"),
        (8, "roster_duplicate"),
    ]


def test_missing_columns_fail_the_file() -> None:
    with pytest.raises(RosterFileError) as caught:
        _rows([["姓名", "生日"], ["王", "8月1日"]])
    assert caught.value.key == "roster_missing_columns"


def test_reads_excel_csv_in_gbk_and_xlsx(tmp_path: Path) -> None:
    csv_path = tmp_path / "roster.csv"
    csv_path.write_bytes("姓名,部门\n王小明,一车间\n".encode("gb18030"))
    assert read_table(csv_path) == [["姓名", "部门"], ["王小明", "一车间"]]
    bom_path = tmp_path / "bom.csv"
    bom_path.write_bytes("姓名,部门\n李华,二车间\n".encode("utf-8-sig"))
    assert read_table(bom_path)[0] == ["姓名", "部门"]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "部门", "telegram", "生日"])
    sheet.append(["王小明", "一车间", 123456789, date(1995, 8, 15)])
    xlsx_path = tmp_path / "roster.xlsx"
    workbook.save(xlsx_path)
    assert read_table(xlsx_path)[1] == ["王小明", "一车间", "123456789", "1995-08-15"]


def test_unsupported_or_damaged_files(tmp_path: Path) -> None:
    odd = tmp_path / "roster.txt"
    odd.write_text("x")
    with pytest.raises(RosterFileError) as caught:
        read_table(odd)
    assert caught.value.key == "roster_bad_type"
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(RosterFileError) as caught:
        read_table(broken)
    assert caught.value.key == "roster_bad_xlsx"
