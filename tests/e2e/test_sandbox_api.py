"""The sandbox without a browser: demo data, the page's API, the clock, what it refuses."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.core.telegram_html import safe_html
from bot.sandbox.demo import CADRE, CHAIR, WORKER
from bot.sandbox.runner import Sandbox
from storage import activities, cases, groups, members

pytestmark = pytest.mark.e2e


async def _chat(http: aiohttp.ClientSession, url: str, user: int, chat: int) -> list[Any]:
    async with http.get(f"{url}api/chat", params={"user": user, "chat": chat}) as reply:
        assert reply.status == 200
        return list((await reply.json())["messages"])


async def _until(http: aiohttp.ClientSession, url: str, user: int, chat: int, text: str) -> Any:
    for _ in range(100):
        for message in await _chat(http, url, user, chat):
            if text in message["html"]:
                return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared")


async def test_the_demo_union_is_there(sandbox: Sandbox) -> None:
    async with sandbox.db.read() as session:
        registered = await members.count_registered(session)
        cadres = await members.with_role(session, roles=["cadre"])
        bound = await groups.bound(session)
        upcoming = await activities.upcoming(session, now=sandbox.clock.now())
        open_cases = await cases.inbox(session, statuses=cases.OPEN)
        worker = await members.get_by_telegram_id(session, WORKER)
    assert registered >= 30 and [c.telegram_id for c in cadres] == [CADRE]
    # The match and the badminton going on now; the locker case, an anonymous and an overdue
    # grievance and a life event (the console's pages have something on each).
    assert len(bound) == 2 and len(upcoming) == 2 and len(open_cases) == 4
    assert worker is None  # left for the visitor to register as


async def test_the_page_api_sends_presses_and_moves_the_clock(sandbox: Sandbox) -> None:
    url = sandbox.url
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as page:
            assert page.status == 200 and "工会桥" in await page.text()
        async with http.get(f"{url}api/people") as reply:
            people = (await reply.json())["people"]
        assert [p["role"] for p in people][:3] == ["worker", "cadre", "chair"]
        group = next(c["id"] for c in people[0]["chats"] if c["type"] == "group")
        async with http.post(
            f"{url}api/send", json={"user": WORKER, "chat": WORKER, "text": "/start"}
        ):
            pass
        await _until(http, url, WORKER, WORKER, "欢迎来到东风机械厂工会")
        post = await _until(http, url, WORKER, group, "篮球友谊赛")
        join = next(b["data"] for row in post["buttons"] for b in row if b["text"] == "报名")
        body = {"user": CHAIR, "chat": group, "message": post["id"], "data": join}
        async with http.post(f"{url}api/press", json=body) as reply:
            answered = await reply.json()
        assert answered["text"]  # the bot answered the press; the page shows it as a toast
        await _until(http, url, CHAIR, group, "已报名 1/10")
        # Nobody reads a chat they are not in.
        async with http.get(f"{url}api/chat", params={"user": WORKER, "chat": CADRE}) as reply:
            assert reply.status == 403
        async with http.post(
            f"{url}api/send", json={"user": WORKER, "chat": WORKER, "text": " "}
        ) as reply:
            assert reply.status == 400
        async with http.post(f"{url}api/clock", json={"action": "tomorrow-0759"}) as reply:
            assert "07:59" in (await reply.json())["clock"]
        async with http.post(f"{url}api/clock", json={"action": "sideways"}) as reply:
            assert reply.status == 400
        async with http.get(f"{url}font/cjk.otf") as reply:
            assert reply.status == 200 and (await reply.content.read(4)) == b"OTTO"


async def test_charts_show_and_exports_download(sandbox: Sandbox) -> None:
    url = sandbox.url
    async with aiohttp.ClientSession() as http:
        body = {"user": CADRE, "chat": CADRE, "text": "/casestats"}
        async with http.post(f"{url}api/send", json=body):
            pass
        for _ in range(100):
            sent = await _chat(http, url, CADRE, CADRE)
            kinds = {m["kind"]: m for m in sent if m["file"]}
            if {"photo", "document"} <= set(kinds):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"no chart and export among {sent}")
        async with http.get(url + kinds["photo"]["file"].lstrip("/")) as reply:
            assert reply.content_type == "image/png" and (await reply.read())[:4] == b"\x89PNG"
        async with http.get(url + kinds["document"]["file"].lstrip("/")) as reply:
            assert "attachment" in reply.headers["Content-Disposition"]
            assert (await reply.read())[:2] == b"PK"  # an XLSX workbook


def test_message_html_keeps_telegram_formatting_and_nothing_else() -> None:
    assert safe_html("<b>加班</b> <i>x</i>") == "<b>加班</b> <i>x</i>"
    assert safe_html('<img src=x onerror="alert(1)">hi') == "hi"
    assert safe_html('<a href="javascript:alert(1)">x</a>') == "x"
    assert safe_html("<b>open") == "<b>open</b>"
    assert safe_html("1 &lt; 2 &amp; 3") == "1 &lt; 2 &amp; 3"
