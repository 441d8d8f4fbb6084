"""The console's HTTP layer, like a handler layer: each endpoint is a thin function that
reads the request, calls services and answers JSON. This module authenticates every call,
checks the caller's role against the endpoint's (the declared table in bot.console.routes)
and turns refusals and bad input into polite answers in the caller's language."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.console.access import (
    CSRF_HEADER,
    SESSION_COOKIE,
    ConsoleCaller,
    identify,
    resolve,
)
from bot.console.auth import AuthError
from bot.core.states import Refused
from bot.core.telegram_html import plain
from bot.deps import Deps
from bot.roles import Role
from bot.strings import Lang, t

log = logging.getLogger(__name__)
MAX_JSON = 256 * 1024


class BadInput(Exception):
    """A value the caller sent that will not do (400), named by a catalogue key."""

    def __init__(self, key: str, *, field: str = "", **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params


class FieldErrors(Exception):
    """A form with problems next to its fields (422): field name → catalogue text."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("field errors")
        self.errors = errors


@dataclass(frozen=True)
class Call:
    """One authenticated request: who asked, and what the bot runs with."""

    request: web.Request
    deps: Deps
    caller: ConsoleCaller

    @property
    def lang(self) -> Lang:
        return self.caller.lang

    @property
    def now(self) -> datetime:
        return self.deps.clock.now()

    def id(self, name: str = "id") -> int:
        raw = self.request.match_info.get(name, "")
        if not raw.isdigit() or len(raw) > 12:
            raise web.HTTPNotFound()
        return int(raw)

    def query(self, name: str) -> str:
        return self.request.query.get(name, "").strip()[:200]

    async def body(self) -> dict[str, Any]:
        if self.request.content_length is not None and self.request.content_length > MAX_JSON:
            raise BadInput("console_too_large")
        try:
            data = json.loads(await self.request.read() or b"{}")
        except ValueError:
            raise BadInput("console_bad_request") from None
        if not isinstance(data, dict):
            raise BadInput("console_bad_request")
        return data


Handler = Callable[[Call], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Endpoint:
    """One console API endpoint and the least role that may call it."""

    method: str
    path: str  # under /console/api
    role: Role
    handler: Handler


def answer(data: Any, *, status: int = 200) -> web.Response:
    return web.json_response(
        data,
        status=status,
        dumps=lambda value: json.dumps(value, ensure_ascii=False, default=str),
        headers={"Cache-Control": "no-store"},
    )


def _refusal_key(needed: Role, caller: ConsoleCaller) -> str:
    if caller.role == Role.GUEST:
        return "register_first"
    return "admin_only" if needed == Role.ADMIN else "not_allowed"


async def authenticate(request: web.Request, deps: Deps) -> ConsoleCaller:
    """The caller of this request, or AuthError (401)."""
    settings = deps.config.console
    telegram_id, telegram_lang = identify(
        authorization=request.headers.get("Authorization", ""),
        cookie=request.cookies.get(SESSION_COOKIE),
        csrf=request.headers.get(CSRF_HEADER),
        token=deps.config.token,
        max_age=settings.max_age,
        now=time.time(),
    )
    return await resolve(deps, telegram_id, telegram_lang)


def guarded(endpoint: Endpoint, deps: Deps) -> Callable[[web.Request], Awaitable[Any]]:
    """The endpoint behind authentication and its role check: 401 for anyone unproven, 403
    for too small a role — nothing runs, nothing changes."""

    async def run(request: web.Request) -> web.StreamResponse:
        lang = deps.config.union.default_language
        try:
            caller = await authenticate(request, deps)
        except AuthError as refused:
            log.info("console: refused an unauthenticated call to %s (%s)", endpoint.path, refused)
            return answer({"error": plain(t(lang, "console_unauthorized"))}, status=401)
        if caller.role < endpoint.role:
            log.info("console: refused %s to a %s", endpoint.path, caller.role.name)
            refusal = plain(t(caller.lang, _refusal_key(endpoint.role, caller)))
            return answer({"error": refusal}, status=403)
        try:
            return await endpoint.handler(Call(request, deps, caller))
        except Refused as refused:
            return answer({"error": plain(t(caller.lang, refused.key))}, status=409)
        except BadInput as bad:
            text = plain(t(caller.lang, bad.key, **bad.params))
            return answer({"error": text, "field": bad.field}, status=400)
        except FieldErrors as problems:
            return answer({"errors": problems.errors}, status=422)

    run.__name__ = endpoint.handler.__name__
    return run
