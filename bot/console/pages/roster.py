"""名册: search and filter the roster, a member's card, the XLSX export, and an import that
shows every row's fate before anything is written, then saves in one transaction."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from aiohttp import web

from bot.console.http import BadInput, Call, answer
from bot.core.states import Refused
from bot.core.telegram_html import plain
from bot.members import directory
from bot.members.roster_file import RosterFileError, RosterRow, RowProblem, check_rows, read_upload
from bot.members.roster_import import plan_rows, save_rows
from bot.strings import t
from storage.models import Member

MAX_UPLOAD = 5 * 1024 * 1024


def _flag(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _filter(call: Call) -> directory.RosterFilter:
    department = call.query("department") or None
    if department is not None and department not in call.deps.config.union.departments:
        raise BadInput("console_bad_department", field="department")
    role = call.query("role")
    if role not in ("", "member", "cadre", "admin"):
        raise BadInput("console_bad_request", field="role")
    return directory.RosterFilter(
        text=call.query("q")[:32],
        department=department,
        role=role,
        registered=_flag(call.query("registered")),
    )


def _row(member: Member, call: Call) -> dict[str, Any]:
    return {
        "id": member.id,
        "name": member.name,
        "department": member.department,
        "role": directory.role_name(member, call.deps.admins),
        "registered": member.registered_at is not None,
        "reachable": member.telegram_id is not None and member.active,
    }


async def roster_list(call: Call) -> web.Response:
    """A page of the roster matching the search and filters."""
    page = int(call.query("page")) if call.query("page").isdigit() else 1
    async with call.deps.db.read() as session:
        found = await directory.find(session, _filter(call), admins=call.deps.admins, page=page)
    return answer(
        {
            "people": [_row(m, call) for m in found.people],
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
        }
    )


async def roster_member(call: Call) -> web.Response:
    """One member's card: what the union may see (nothing about cases they reported)."""
    async with call.deps.db.read() as session:
        member = await directory.card(session, call.id())
    zone = call.deps.config.union.zone
    return answer(
        _row(member, call)
        | {
            "username": member.username or "",
            "phone": member.phone or "",
            "birthday": directory.birthday_text(member, call.lang),
            "share_birthday": member.share_birthday,
            "language": member.language,
            "since": (
                member.registered_at.astimezone(zone).strftime("%Y-%m-%d")
                if member.registered_at
                else ""
            ),
        }
    )


async def roster_export(call: Call) -> web.Response:
    """The roster (as filtered) as an XLSX file."""
    deps = call.deps
    async with deps.db.read() as session:
        found = await directory.find(
            session, _filter(call), admins=deps.admins, size=directory.EXPORT_LIMIT
        )
    data = await asyncio.to_thread(
        directory.export_xlsx,
        found.people,
        admins=deps.admins,
        zone=deps.config.union.zone,
        lang=call.lang,
    )
    return web.Response(
        body=data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="roster.xlsx"'},
    )


async def _upload(call: Call) -> tuple[str, bytes, dict[str, str]]:
    form = await call.request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise BadInput("console_import_no_file", field="file")
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise BadInput("console_too_large", field="file")
    fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    return upload.filename or "", data, fields


def _checked(call: Call, name: str, data: bytes) -> list[RosterRow | RowProblem]:
    deps = call.deps
    today = call.now.astimezone(deps.config.union.zone).date()
    try:
        table = read_upload(name, data)
        return list(check_rows(table, departments=deps.config.union.departments, today=today))
    except RosterFileError as bad:
        raise BadInput(bad.key, field="file", **bad.params) from None


def _described(row: RosterRow | RowProblem, fate: str | None, call: Call) -> dict[str, Any]:
    if isinstance(row, RowProblem):
        reason = plain(t(call.lang, row.key, **row.params))
        return {"line": row.line, "ok": False, "problem": reason}
    return {"line": row.line, "ok": True, "name": row.name, "department": row.department,
            "outcome": fate}  # fmt: skip


async def import_check(call: Call) -> web.Response:
    """Every row of the file and what saving it would do — nothing is written."""
    name, data, _ = await _upload(call)
    rows = _checked(call, name, data)
    async with call.deps.db.read() as session:
        planned = await plan_rows(session, rows)
    described = [_described(row, fate, call) for row, fate in planned]
    good = sum(1 for item in described if item["ok"])
    return answer(
        {
            "rows": described,
            "good": good,
            "bad": len(described) - good,
            "digest": hashlib.sha256(data).hexdigest(),
        }
    )


async def import_save(call: Call) -> web.Response:
    """Save the file that was checked (the same bytes), good rows only, in one transaction."""
    name, data, fields = await _upload(call)
    if fields.get("digest") != hashlib.sha256(data).hexdigest():
        raise Refused("console_import_changed")
    rows = _checked(call, name, data)
    good = [row for row in rows if isinstance(row, RosterRow)]
    if not good:
        raise BadInput("console_import_nothing", field="file")
    async with call.deps.db.begin() as session:
        report = await save_rows(session, good, now=call.now)
    return answer(
        {
            "created": report.created,
            "updated": report.updated,
            "kept": report.kept,
            "skipped": len(rows) - len(good),
        }
    )
