"""Webhook mode: Telegram posts each update to [telegram.webhook] listen:port/url_path.

Our own small aiohttp server rather than PTB's: it checks the secret header in constant
time, refuses a body over Telegram's size before reading it, answers malformed JSON with a
400 and one log line — never a traceback, never the payload (it may be a private report) —
and can serve other pages (the console) on the same address."""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.app import ALLOWED_UPDATES
from bot.config import WebhookConfig
from bot.console.routes import MAX_BODY as CONSOLE_BODY
from bot.console.routes import Console
from bot.context import UnionBridgeApplication

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; nothing legitimate comes near this


class WebhookServer:
    def __init__(self, application: UnionBridgeApplication, settings: WebhookConfig) -> None:
        self.application = application
        self.settings = settings
        console = application.deps.config.console.enabled
        # The console takes roster files of a few MB; an update is still held to MAX_BODY.
        self.web = web.Application(client_max_size=CONSOLE_BODY if console else MAX_BODY)
        self.web.router.add_post(f"/{settings.url_path.strip('/')}", self.receive)
        if console:  # the console shares this address
            Console(application.deps).install(self.web)
        self._runner: web.AppRunner | None = None

    async def start(self, *, webhook_url: str | None = None) -> None:
        """Listen, then tell Telegram where to post (with the secret it must send back)."""
        self._runner = web.AppRunner(self.web, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.settings.listen, self.settings.port).start()
        await self.application.bot.set_webhook(
            url=webhook_url or self.settings.webhook_url,
            secret_token=self.settings.secret_token or None,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("taking updates by webhook on %s:%d", self.settings.listen, self.settings.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def receive(self, request: web.Request) -> web.Response:
        expected = self.settings.secret_token
        given = request.headers.get(SECRET_HEADER, "")
        if expected and not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("webhook: a request without the right secret was refused")
            return web.Response(status=403, text="forbidden")
        if request.content_length is not None and request.content_length > MAX_BODY:
            log.warning("webhook: a body of %d bytes was refused", request.content_length)
            return web.Response(status=413, text="too large")
        try:
            raw = await request.content.read(MAX_BODY + 1)
            if len(raw) > MAX_BODY:
                raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(raw))
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.application.bot)
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook: an oversized body was refused")
            return web.Response(status=413, text="too large")
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("webhook: a malformed update was refused (%s)", type(exc).__name__)
            return web.Response(status=400, text="bad update")
        if update is None:
            return web.Response(status=400, text="bad update")
        await self.application.update_queue.put(update)
        return web.Response(text="ok")
