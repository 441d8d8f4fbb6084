"""The console's HTTP API through real HTTP, with the real bot: who may call what.

Every endpoint of the declared table is called as a member, a cadre and an admin and the
answers compared with the table; launch data that is tampered with, about someone else,
too old or signed for another bot is refused with 401; a member calling a cadre's endpoint
and a cadre calling an admin's get 403 — and nothing changes. The desktop login link works
once, within ten minutes, for the cadre it was made for."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.console.access import SESSION_COOKIE
from bot.console.auth import sign_init_data
from bot.console.routes import ENDPOINTS
from bot.console.settings import ConsoleConfig
from bot.emulator import EmulatorServer
from bot.roles import Role
from tests.e2e.catalogue import said
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
MEMBER, CADRE = 901, 902
PUBLIC = "https://union.example.org/console/"
TABLES = ("member", "notice", "notice_confirmation", "case", "case_entry", "activity", "signup",
          "visit", "vote", "outbox", "console_login", "role_change")  # fmt: skip


@pytest.fixture
async def console(server: EmulatorServer, db_url: str, clock: ManualClock) -> AsyncIterator[Any]:
    config = harness_config(server, db_url, admins=[ADMIN]).model_copy(
        update={"console": ConsoleConfig(enabled=True, port=0, public_url=PUBLIC)}
    )
    h = Harness(server, config, clock)
    await h.start()
    await register(h, MEMBER, "王小明")
    await register(h, CADRE, "陈干事", username="chen_cadre")
    await register(h, ADMIN, "周主席")
    await appoint(h, "@chen_cadre")
    assert h.app is not None and h.app.console_server is not None
    h.base = f"http://127.0.0.1:{h.app.console_server.port}/console/"  # type: ignore[attr-defined]
    yield h
    await h.stop()


def launch(h: Harness, user: int, *, token: str | None = None, age: int = 0) -> str:
    person = json.dumps({"id": user, "first_name": "x", "language_code": "zh-hans"})
    fields = {"auth_date": str(int(time.time()) - age), "user": person, "query_id": "q"}
    return sign_init_data(fields, token or h.emu.token)


async def call(
    h: Harness, method: str, path: str, *, auth: str | None, body: Any = None, **headers: str
) -> tuple[int, Any]:
    sent = dict(headers)
    if auth is not None:
        sent["Authorization"] = auth
    async with aiohttp.ClientSession() as http:
        url = h.base + "api" + path  # type: ignore[attr-defined]
        async with http.request(method, url, headers=sent, data=body) as reply:
            raw = await reply.read()
            data = json.loads(raw) if reply.content_type == "application/json" else raw
            return reply.status, data


async def fingerprint(h: Harness) -> dict[str, int]:
    """How many rows each table holds: a refused call must leave every one as it was."""
    from sqlalchemy import text

    counts = {}
    async with h.db.read() as session:
        for table in TABLES:
            result = await session.exec(text(f'SELECT COUNT(*) FROM "{table}"'))  # type: ignore[call-overload]
            counts[table] = int(result.one()[0])
    return counts


def _path(template: str) -> str:
    return template.replace("{id}", "1").replace("{name}", "cases")


def _body(path: str) -> Any:
    if "/roster/import/" in path:
        form = aiohttp.FormData()
        form.add_field("file", "姓名,部门\n郑小雨,一车间\n".encode(), filename="r.csv")
        form.add_field("digest", "0")
        return form
    return b"{}"


PERSONAS = {MEMBER: Role.MEMBER, CADRE: Role.CADRE, ADMIN: Role.ADMIN}


async def test_every_endpoint_answers_each_role_as_the_table_says(console: Harness) -> None:
    h = console
    before = await fingerprint(h)
    for user, role in PERSONAS.items():  # the refused calls first: nothing may change
        for endpoint in ENDPOINTS:
            if role >= endpoint.role:
                continue
            status, data = await call(
                h, endpoint.method, _path(endpoint.path), auth="tma " + launch(h, user),
                body=_body(endpoint.path),
            )  # fmt: skip
            assert status == 403, (user, endpoint.path, status)
            assert data["error"], endpoint.path
    assert await fingerprint(h) == before
    for user, role in PERSONAS.items():
        for endpoint in ENDPOINTS:
            if role < endpoint.role:
                continue
            status, _ = await call(
                h, endpoint.method, _path(endpoint.path), auth="tma " + launch(h, user),
                body=_body(endpoint.path),
            )  # fmt: skip
            assert status not in (401, 403), (user, endpoint.path, status)
            assert status < 500, (user, endpoint.path, status)


def _tampered(data: str, field: str, value: str) -> str:
    fields = dict(parse_qsl(data))
    fields[field] = value
    return urlencode(fields)


async def test_bad_launch_data_is_refused_and_changes_nothing(console: Harness) -> None:
    h = console
    good = launch(h, CADRE)
    refused = [
        _tampered(good, "hash", "0" * 64),
        _tampered(good, "user", json.dumps({"id": ADMIN, "first_name": "冒充"})),
        launch(h, CADRE, age=3601),
        launch(h, CADRE, token="7000000002:another-bot"),
    ]
    before = await fingerprint(h)
    for data in refused:
        for method, path in (("GET", "/roster"), ("POST", "/notices"), ("POST", "/cases/1/act")):
            status, answer = await call(h, method, path, auth="tma " + data, body=b"{}")
            assert status == 401, (path, data[:40])
            assert answer["error"]
    for auth in (None, "Bearer abc", "tma "):
        status, _ = await call(h, "GET", "/me", auth=auth)
        assert status == 401
    assert await fingerprint(h) == before
    status, me = await call(h, "GET", "/me", auth="tma " + good)
    assert status == 200 and me["role"] == "cadre" and me["allowed"]


async def test_console_gives_a_button_and_a_one_time_login_link(console: Harness) -> None:
    h = console
    sent = await h.send(CADRE, "/console")
    said(sent, "console_open_text")
    button = sent[0].reply_markup["inline_keyboard"][0][0]  # type: ignore[index]
    assert button["web_app"]["url"] == PUBLIC
    assert h.emu.menu_buttons[CADRE]["web_app"]["url"] == PUBLIC  # the chat's menu opens it too
    found = re.search(r"login\?token=(\S+)", sent[1].text)
    assert found is not None
    token = found.group(1)
    base = h.base  # type: ignore[attr-defined]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}login?token={token}", allow_redirects=False) as reply:
            assert reply.status == 302
            cookie = reply.cookies[SESSION_COOKIE].value
        async with http.get(f"{base}login?token={token}", allow_redirects=False) as again:
            assert again.status == 401  # once only
    session = {"Cookie": f"{SESSION_COOKIE}={cookie}"}
    status, me = await call(h, "GET", "/me", auth=None, **session, **{"X-Console-Request": "1"})
    assert status == 200 and me["role"] == "cadre"
    status, _ = await call(h, "GET", "/me", auth=None, **session)  # no console header: refused
    assert status == 401
    late = await h.send(CADRE, "/console")
    found = re.search(r"login\?token=(\S+)", late[1].text)
    assert found is not None
    h.clock.advance(timedelta(minutes=11))
    late_link = f"{base}login?token={found.group(1)}"
    async with (
        aiohttp.ClientSession() as http,
        http.get(late_link, allow_redirects=False) as reply,
    ):
        assert reply.status == 401  # ten minutes only


async def test_members_cannot_open_the_console(console: Harness) -> None:
    h = console
    said(await h.send(MEMBER, "/console"), "not_allowed")
    assert MEMBER not in h.emu.menu_buttons or h.emu.menu_buttons[MEMBER]["type"] != "web_app"
    status, me = await call(h, "GET", "/me", auth="tma " + launch(h, MEMBER))
    assert status == 200 and me["allowed"] is False


async def test_in_webhook_mode_the_console_shares_the_webhook_address(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> None:
    from bot.sandbox.runner import free_port

    port = free_port()
    base = harness_config(server, db_url, admins=[ADMIN])
    telegram = base.telegram.model_copy(
        update={"mode": "webhook", "webhook": base.telegram.webhook.model_copy(
            update={"webhook_url": f"http://127.0.0.1:{port}/telegram"})}
    )  # fmt: skip
    config = base.model_copy(
        update={
            "telegram": telegram,
            "console": ConsoleConfig(enabled=True, port=0, public_url=PUBLIC),
        }
    )
    h = Harness(server, config, clock)
    await h.start(webhook_port=port)
    try:
        assert h.app is not None and h.app.console_server is None  # no second server
        await register(h, CADRE, "陈干事")
        h.base = f"http://127.0.0.1:{port}/console/"  # type: ignore[attr-defined]
        status, _ = await call(h, "GET", "/me", auth=None)
        assert status == 401
        status, me = await call(h, "GET", "/me", auth="tma " + launch(h, CADRE))
        assert status == 200 and me["name"] == "陈干事"
        async with aiohttp.ClientSession() as http, http.get(h.base) as page:  # type: ignore[attr-defined]
            assert page.status == 200 and "console.js" in await page.text()
    finally:
        await h.stop()


async def test_an_english_cadre_reads_case_categories_in_english(console: Harness) -> None:
    from datetime import UTC, datetime

    from storage import cases
    from storage.models import CaseKind

    h = console
    await register(h, 903, "Lee", language="English", username="lee_cadre")
    await appoint(h, "@lee_cadre")
    now = datetime.now(UTC)
    async with h.db.begin() as session:
        case = await cases.add(
            session, code="ENCAT001", kind=CaseKind.GRIEVANCE, category="工资待遇",
            department="一车间", text="加班费少算了", created_at=now,
            ack_due=now + timedelta(days=1), resolve_due=now + timedelta(days=7),
        )  # fmt: skip
    auth = "tma " + launch(h, 903)
    status, board = await call(h, "GET", "/cases", auth=auth)
    assert status == 200
    assert [c["category"] for c in board["cases"]] == ["Pay and benefits"]
    status, detail = await call(h, "GET", f"/cases/{case.id}", auth=auth)
    assert status == 200 and detail["category"] == "Pay and benefits"
    status, month = await call(h, "GET", "/dashboard", auth=auth)
    assert status == 200
    assert [row["category"] for row in month["cases"]] == ["Pay and benefits"]
    status, chinese = await call(h, "GET", "/cases", auth="tma " + launch(h, CADRE))
    assert [c["category"] for c in chinese["cases"]] == ["工资待遇"]
