"""Reading a union roster (CSV or XLSX) into checked rows; pure, no database."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.core.flow import Rejected
from bot.greetings.birthday_dates import Birthday, BirthdayError, parse_birthday
from bot.members.profile_form import clean_name

HEADERS = {
    "name": ("姓名", "name", "名字"),
    "department": ("部门", "车间", "department", "workshop", "dept"),
    "telegram": ("telegram", "tg", "电报", "telegram用户名", "telegram id", "username"),
    "birthday": ("生日", "出生日期", "birthday", "birth date"),
    "phone": ("电话", "手机", "手机号", "phone", "mobile"),
}
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")
_PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")


class RosterFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    department: str
    telegram_id: int | None = None
    username: str | None = None
    birthday: Birthday | None = None
    phone: str | None = None


@dataclass(frozen=True)
class RowProblem:
    line: int
    key: str
    params: dict[str, object] = field(default_factory=dict)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [row for row in csv.reader(io.StringIO(text))]
    raise RosterFileError("roster_bad_encoding")


def _read_xlsx(path: Path | io.BytesIO) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise RosterFileError("roster_bad_xlsx", reason=type(exc).__name__) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(path: Path) -> list[list[str]]:
    """All rows of the file as text cells, header first."""
    if not path.is_file():
        raise FileNotFoundError(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path.read_bytes())
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise RosterFileError("roster_bad_type", suffix=suffix or "(none)")


def read_upload(name: str, data: bytes) -> list[list[str]]:
    """All rows of an uploaded file (the console's), header first, by its name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _read_csv(data)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(io.BytesIO(data))
    raise RosterFileError("roster_bad_type", suffix=suffix or "(none)")


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        for column, aliases in HEADERS.items():
            if key in aliases and column not in found:
                found[column] = index
    missing = [column for column in ("name", "department") if column not in found]
    if missing:
        raise RosterFileError("roster_missing_columns", columns=", ".join(missing))
    return found


def _check(
    line: int, cells: dict[str, str], *, departments: list[str], today: date
) -> RosterRow | RowProblem:
    name = clean_name(cells.get("name", ""))
    if isinstance(name, Rejected):
        return RowProblem(line, "roster_bad_name")
    department = cells.get("department", "").strip()
    if department not in departments:
        return RowProblem(line, "roster_bad_department", {"department": department})
    telegram_id, username = None, None
    handle = cells.get("telegram", "").strip()
    if handle.isdigit():
        telegram_id = int(handle)
    elif handle:
        match = _USERNAME.match(handle)
        if match is None:
            return RowProblem(line, "roster_bad_telegram", {"value": handle})
        username = match.group(1)
    birthday = None
    if raw := cells.get("birthday", "").strip():
        parsed = parse_birthday(raw, today=today)
        if isinstance(parsed, BirthdayError):
            return RowProblem(line, "roster_bad_birthday", {"value": raw})
        birthday = parsed
    phone = cells.get("phone", "").strip() or None
    if phone is not None and not _PHONE.match(phone):
        return RowProblem(line, "roster_bad_phone", {"value": phone})
    return RosterRow(line, name, department, telegram_id, username, birthday, phone)


def check_rows(
    table: list[list[str]], *, departments: list[str], today: date
) -> Iterator[RosterRow | RowProblem]:
    """Each data row checked: a RosterRow, or the line number and what is wrong with it."""
    if not table:
        raise RosterFileError("roster_empty")
    columns = _columns(table[0])
    seen: set[tuple[str, ...]] = set()
    for line, row in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {
            column: row[index] if index < len(row) else "" for column, index in columns.items()
        }
        checked = _check(line, cells, departments=departments, today=today)
        if isinstance(checked, RosterRow):
            identity = _identity(checked)
            if identity in seen:
                yield RowProblem(line, "roster_duplicate")
                continue
            seen.add(identity)
        yield checked


def _identity(row: RosterRow) -> tuple[str, ...]:
    if row.telegram_id is not None:
        return ("id", str(row.telegram_id))
    if row.username is not None:
        return ("username", row.username.lower())
    return ("name", row.name, row.department)
