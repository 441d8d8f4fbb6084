"""The emulator's HTTP face: Bot API methods over aiohttp, on a loopback port."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiohttp import web

from bot.emulator.methods import CHAT_METHODS, METHODS
from bot.emulator.model import ApiError
from bot.emulator.state import Emulator

log = logging.getLogger(__name__)
JSON_FIELDS = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "entities", "caption_entities",
     "link_preview_options", "reply_parameters", "media", "menu_button"}
)  # fmt: skip


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
        return params
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = (value.filename, value.file.read())
            elif key in JSON_FIELDS and isinstance(value, str):
                params[key] = json.loads(value)
            else:
                params[key] = value
    return params


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.code)


async def _misbehave(emu: Emulator, name: str) -> bool:
    """Chaos's fault for this request, if it draws one (bot/emulator/chaos.py): waits, then
    raises the error to answer or returns True for a request held past the client's timeout."""
    blow = emu.chaos.draw(name) if emu.chaos is not None else None
    if blow is None:
        return False
    await asyncio.sleep(blow.delay)
    if blow.error is not None:
        raise blow.error
    return blow.hold


class EmulatorServer:
    """Serves an Emulator over HTTP on 127.0.0.1; `base_url` is what PTB needs."""

    def __init__(self, emulator: Emulator, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=60 * 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        # Release pending long polls, or cleanup would wait for them to time out.
        self.emulator.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        emu = self.emulator
        if request.match_info["token"] != emu.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        name = request.match_info["method"].lower()
        method = METHODS.get(name)
        if method is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        emu.calls[name] += 1
        try:
            params = await _params(request)
            chat_id = (
                int(params["chat_id"]) if name in CHAT_METHODS and "chat_id" in params else None
            )
            fault = emu.consume_fault(name, chat_id)
            if fault is not None:
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.error is not None:
                    raise fault.error
                if fault.delay:
                    return web.Response(status=504, text="timeout")
            if emu.latency and name in CHAT_METHODS:
                await asyncio.sleep(emu.latency)
            if await _misbehave(emu, name):
                return web.Response(status=504, text="timeout")
            result = await method(emu, params)
        except ApiError as exc:
            if exc.code == 429:
                emu.retry_after_sent += 1
            return _error(exc)
        except (ValueError, KeyError, TypeError) as exc:
            return _error(ApiError(400, f"Bad Request: {exc}"))
        return web.json_response({"ok": True, "result": result})
