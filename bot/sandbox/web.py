"""The sandbox page and the small JSON API it uses: who you are, your chats, their messages,
sending, pressing buttons, files, the clock and the language."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import time as time_module
from datetime import datetime, time, timedelta
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.console.auth import sign_init_data
from bot.core.charts import font_path
from bot.core.telegram_html import safe_html
from bot.deps import Deps
from bot.emulator import Emulator, SentMessage
from bot.jobs import minute_tick
from bot.sandbox.clock import ShiftedClock
from bot.sandbox.demo import Demo, set_language

log = logging.getLogger(__name__)
ANSWER_WAIT = 5.0
WEEKDAYS = "一二三四五六日"


def launch_data(user: dict[str, Any], token: str) -> str:
    """initData as Telegram signs it for a user opening the bot's Mini App now."""
    person = {"id": user["id"], "first_name": user.get("first_name", ""),
              "language_code": user.get("language_code", "zh-hans")}  # fmt: skip
    fields = {
        "auth_date": str(int(time_module.time())),
        "query_id": f"sandbox-{user['id']}-{int(time_module.time() * 1000)}",
        "user": json.dumps(person, ensure_ascii=False, separators=(",", ":")),
    }
    return sign_init_data(fields, token)


class SandboxWeb:
    """Serves the page on a loopback port; every action goes through the emulator, exactly as
    a Telegram client's would reach the bot."""

    def __init__(self, emu: Emulator, deps: Deps, clock: ShiftedClock, demo: Demo) -> None:
        self.emu = emu
        self.deps = deps
        self.clock = clock
        self.demo = demo
        self.lang = "zh"  # the page's language switch
        self.app = web.Application()
        routes = self.app.router
        routes.add_get("/", self._page)
        routes.add_get("/api/people", self._people)
        routes.add_get("/api/chat", self._chat)
        routes.add_post("/api/send", self._send)
        routes.add_post("/api/press", self._press)
        routes.add_post("/api/clock", self._clock)
        routes.add_post("/api/lang", self._lang)
        routes.add_get("/api/file", self._file)
        routes.add_post("/api/webapp", self._webapp)
        routes.add_get("/font/cjk.otf", self._font)
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _page(self, _: web.Request) -> web.Response:
        page = resources.files("bot.sandbox").joinpath("page.html").read_text(encoding="utf-8")
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    def _clock_text(self) -> str:
        local = self.clock.now().astimezone(self.deps.config.union.zone)
        if self.lang == "en":
            return local.strftime("%Y-%m-%d %H:%M %a")
        return local.strftime("%Y-%m-%d %H:%M") + f" 周{WEEKDAYS[local.weekday()]}"

    async def _people(self, _: web.Request) -> web.Response:
        people = []
        for persona in self.demo.personas:
            chats = [{"id": persona.telegram_id, "title": "工会桥", "type": "private"}]
            chats += [
                {"id": chat.id, "title": chat.title, "type": "group"}
                for chat in self.emu.chats.values()
                if chat.type != "private" and persona.telegram_id in chat.members
            ]
            menu = self.emu.menu_buttons.get(persona.telegram_id) or {}
            app = (
                {"text": menu["text"], "url": menu["web_app"]["url"]}
                if menu.get("type") == "web_app"
                else None
            )
            people.append(
                {"id": persona.telegram_id, "name": persona.name, "role": persona.role,
                 "chats": chats, "menu_app": app}
            )  # fmt: skip
        return web.json_response({"people": people, "clock": self._clock_text()})

    def _message(self, sent: SentMessage) -> dict[str, Any]:
        file_url = (
            f"/api/file?chat={sent.chat_id}&message={sent.message_id}"
            if sent.kind in ("photo", "document") and sent.file_bytes
            else None
        )
        return {
            "id": sent.message_id, "mine": False, "from": "工会桥",
            "html": safe_html(sent.html or sent.text), "kind": sent.kind, "file": file_url,
            "file_name": sent.file_name, "pinned": sent.pinned, "edited": bool(sent.edits),
            "buttons": [
                [{"text": b["text"], "data": b.get("callback_data", ""),
                  "web_app": (b.get("web_app") or {}).get("url"), "url": b.get("url")}
                 for b in row]
                for row in (sent.reply_markup or {}).get("inline_keyboard", [])
            ],
        }  # fmt: skip

    def _user_message(self, message: dict[str, Any], viewer: int) -> dict[str, Any]:
        sender = message["from"]
        text = message.get("text") or message.get("caption") or ""
        if "photo" in message:
            text = "🖼 " + text
        elif "document" in message:
            text = "📎 " + text
        elif "sticker" in message:
            text = message["sticker"].get("emoji", "🙂")
        return {
            "id": message["message_id"], "mine": sender["id"] == viewer,
            "from": sender.get("first_name", ""), "html": safe_html(html.escape(text, quote=False)),
            "kind": "text", "file": None, "file_name": None, "pinned": False, "edited": False,
            "buttons": [],
        }  # fmt: skip

    async def _chat(self, request: web.Request) -> web.Response:
        viewer, chat_id = int(request.query["user"]), int(request.query["chat"])
        if chat_id != viewer and viewer not in getattr(self.emu.chats.get(chat_id), "members", ()):
            raise web.HTTPForbidden(text="not a member of this chat")
        messages = [self._message(m) for m in self.emu.chat_messages(chat_id)]
        messages += [
            self._user_message(message, viewer)
            for (chat, _), message in self.emu.user_messages.items()
            if chat == chat_id
            and ("text" in message or "caption" in message or "sticker" in message)
        ]
        messages.sort(key=lambda m: int(m["id"]))
        return web.json_response({"messages": messages, "clock": self._clock_text()})

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        text = str(body.get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        user, chat = int(body["user"]), int(body["chat"])
        self.emu.send_text(user, text[:4096], chat_id=None if chat == user else chat)
        return web.json_response({"ok": True})

    async def _press(self, request: web.Request) -> web.Response:
        body = await request.json()
        sent = self.emu.messages.get((int(body["chat"]), int(body["message"])))
        if sent is None:
            raise web.HTTPNotFound(text="no such message")
        update = self.emu.press(int(body["user"]), sent, str(body["data"]))
        query_id = update["callback_query"]["id"]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ANSWER_WAIT
        while not self.emu.callback_answers.get(query_id) and loop.time() < deadline:
            await self.emu.wait_changed(0.2)
        answer = self.emu.callback_answers.get(query_id) or {}
        return web.json_response(
            {"text": answer.get("text") or "", "alert": bool(answer.get("show_alert"))}
        )

    async def _webapp(self, request: web.Request) -> web.Response:
        """Open a Mini App as Telegram would: its address with launch data signed for the
        persona (only the bot's own console: no other page gets signed data)."""
        body = await request.json()
        url = str(body.get("url", ""))
        console = self.deps.config.console
        if not console.public_url or not url.startswith(console.public_url):
            raise web.HTTPForbidden(text="not this bot's Mini App")
        user = self.emu.users.get(int(body["user"]))
        if user is None:
            raise web.HTTPNotFound(text="no such user")
        signed = launch_data(user, self.deps.config.token)
        return web.json_response(
            {"url": url.split("#", maxsplit=1)[0] + "#tgWebAppData=" + quote(signed, safe="")}
        )

    async def _clock(self, request: web.Request) -> web.Response:
        action = (await request.json()).get("action")
        zone = self.deps.config.union.zone
        if action == "tomorrow-0759":
            tomorrow = self.clock.now().astimezone(zone).date() + timedelta(days=1)
            self.clock.jump_to(datetime.combine(tomorrow, time(7, 59), tzinfo=zone))
        elif action == "plus-1m":
            self.clock.advance(timedelta(minutes=1))
        elif action == "plus-1h":
            self.clock.advance(timedelta(hours=1))
        elif action == "reset":
            self.clock.reset()
        else:
            raise web.HTTPBadRequest(text="unknown clock action")
        await self.tick()
        return web.json_response({"clock": self._clock_text()})

    async def tick(self) -> None:
        """What the bot's minute job does, now: due notices, reminders, greetings."""
        try:
            await minute_tick(self.deps)
        except Exception:
            log.exception("sandbox tick failed")
        self.deps.delivery.wake()

    async def _lang(self, request: web.Request) -> web.Response:
        lang = (await request.json()).get("lang")
        if lang not in ("zh", "en"):
            raise web.HTTPBadRequest(text="lang is zh or en")
        for user in self.emu.users.values():
            user["language_code"] = "zh-hans" if lang == "zh" else "en"
        await set_language(self.deps.db, self.demo.personas, lang, self.clock.now())
        self.lang = lang
        return web.json_response({"lang": lang, "clock": self._clock_text()})

    async def _font(self, _: web.Request) -> web.FileResponse:
        """Noto Sans CJK (shipped by a dependency): Chinese reads right on a machine without
        CJK fonts, such as a fresh server's headless browser."""
        return web.FileResponse(font_path(), headers={"Cache-Control": "max-age=86400"})

    async def _file(self, request: web.Request) -> web.Response:
        key = (int(request.query["chat"]), int(request.query["message"]))
        sent = self.emu.messages.get(key)
        if sent is None or not sent.file_bytes:
            raise web.HTTPNotFound()
        if sent.kind == "photo":
            return web.Response(body=sent.file_bytes, content_type="image/png")
        name = (sent.file_name or "file").replace('"', "").replace("\n", " ")
        return web.Response(
            body=sent.file_bytes,
            content_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
