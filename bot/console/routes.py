"""The console's one table of endpoints and the least role each needs, and the aiohttp
routes serving them, the page, its script and the desktop login link.

The role checks are here and in the services, never in what the page shows: a member who
calls a cadre's endpoint gets 403 and nothing runs."""

from __future__ import annotations

import gc
import html
import logging
from importlib import resources

from aiohttp import web

from bot.console import logins
from bot.console.access import SESSION_COOKIE
from bot.console.auth import SESSION_SECONDS, AuthError, session_cookie
from bot.console.http import Endpoint, guarded
from bot.console.me import me
from bot.console.pages import activities, care, cases, dashboard, notices, roster
from bot.core.charts import font_path
from bot.deps import Deps
from bot.roles import Role

log = logging.getLogger(__name__)
PREFIX = "/console"
MAX_BODY = 6 * 1024 * 1024  # a roster file of a few thousand rows
G, C, A = Role.GUEST, Role.CADRE, Role.ADMIN

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("GET", "/me", G, me),
    Endpoint("GET", "/roster", C, roster.roster_list),
    Endpoint("GET", "/roster/export", C, roster.roster_export),
    Endpoint("GET", "/roster/{id}", C, roster.roster_member),
    Endpoint("POST", "/roster/import/check", A, roster.import_check),
    Endpoint("POST", "/roster/import/save", A, roster.import_save),
    Endpoint("GET", "/notices", C, notices.notice_list),
    Endpoint("POST", "/notices/preview", C, notices.notice_preview),
    Endpoint("POST", "/notices", C, notices.notice_send),
    Endpoint("GET", "/notices/{id}/receipts", C, notices.notice_receipts),
    Endpoint("POST", "/notices/{id}/remind", C, notices.notice_remind),
    Endpoint("POST", "/notices/{id}/reschedule", C, notices.notice_reschedule),
    Endpoint("POST", "/notices/{id}/rewrite", C, notices.notice_rewrite),
    Endpoint("POST", "/notices/{id}/cancel", C, notices.notice_cancel),
    Endpoint("GET", "/cases", C, cases.case_board),
    Endpoint("GET", "/cases/{id}", C, cases.case_detail),
    Endpoint("POST", "/cases/{id}/act", C, cases.case_act),
    Endpoint("GET", "/activities", C, activities.activity_list),
    Endpoint("POST", "/activities/check", C, activities.activity_check),
    Endpoint("POST", "/activities", C, activities.activity_create),
    Endpoint("GET", "/activities/{id}/roster", C, activities.activity_roster),
    Endpoint("POST", "/activities/{id}/checkin", C, activities.activity_checkin),
    Endpoint("GET", "/activities/{id}/export", C, activities.activity_export),
    Endpoint("POST", "/activities/{id}/cancel", C, activities.activity_cancel),
    Endpoint("GET", "/care", C, care.care_page),
    Endpoint("POST", "/care/visits/{id}/approve", A, care.visit_approve),
    Endpoint("GET", "/dashboard", C, dashboard.dashboard),
    Endpoint("GET", "/dashboard/chart/{name}", C, dashboard.dashboard_chart),
)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' https://telegram.org; img-src 'self' blob: data:; "
        "style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _asset(name: str) -> str:
    return resources.files("bot.console").joinpath("static", name).read_text(encoding="utf-8")


class Console:
    """Adds the console to an aiohttp application (its own server, or the webhook's)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def install(self, app: web.Application) -> None:
        routes = app.router
        routes.add_get(f"{PREFIX}/", self.page)
        routes.add_get(PREFIX, self.to_page)
        routes.add_get(PREFIX + "/static/{name}", self.static)
        routes.add_get(PREFIX + "/telegram-web-app.js", self.standin)
        routes.add_get(PREFIX + "/login", self.login)
        for endpoint in ENDPOINTS:
            routes.add_route(
                endpoint.method, PREFIX + "/api" + endpoint.path, guarded(endpoint, self.deps)
            )

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        self.install(app)
        return app

    async def to_page(self, _: web.Request) -> web.Response:
        raise web.HTTPFound(f"{PREFIX}/")

    async def page(self, _: web.Request) -> web.Response:
        script = html.escape(self.deps.config.console.telegram_js)
        body = _asset("console.html").replace("__TELEGRAM_JS__", script)
        return web.Response(
            text=body, content_type="text/html", charset="utf-8", headers=SECURITY_HEADERS
        )

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name == "cjk.otf":  # for a machine without Chinese fonts (fetched only if needed)
            return web.FileResponse(font_path(), headers={"Cache-Control": "max-age=86400"})
        kinds = {"console.js": "application/javascript", "console.css": "text/css"}
        if name not in kinds:
            raise web.HTTPNotFound()
        return web.Response(text=_asset(name), content_type=kinds[name], charset="utf-8")

    async def standin(self, _: web.Request) -> web.Response:
        """A local stand-in for Telegram's telegram-web-app.js (sandbox and tests only)."""
        if not self.deps.config.console.standin_js:
            raise web.HTTPNotFound()
        return web.Response(
            text=_asset("telegram-web-app-standin.js"),
            content_type="application/javascript",
            charset="utf-8",
        )

    async def login(self, request: web.Request) -> web.Response:
        """A one-time login link from /console: a session for this browser, then the page."""
        deps = self.deps
        try:
            async with deps.db.begin() as session:
                telegram_id = await logins.redeem(
                    session, request.query.get("token", ""), now=deps.clock.now()
                )
        except AuthError as refused:
            log.info("console: a login link was refused (%s)", refused)
            page = _asset("login-refused.html")
            return web.Response(text=page, status=401, content_type="text/html", charset="utf-8")
        response = web.HTTPFound(f"{PREFIX}/")
        secure = deps.config.console.public_url.startswith("https://")
        response.set_cookie(
            SESSION_COOKIE,
            session_cookie(telegram_id, deps.config.token),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="Strict",
            secure=secure,
            path=PREFIX,
        )
        raise response


class ConsoleServer:
    """The console on [console] host:port, for polling mode (webhook mode adds its routes to
    the webhook server instead)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.port = deps.config.console.port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        settings = self.deps.config.console
        # What the process loaded to start (the knowledge base, the chart library) stays for
        # its life: out of the collector's way, a full collection in the middle of a page's
        # answer is short, and a board of 500 cases answers as fast every time.
        gc.freeze()
        self._runner = web.AppRunner(Console(self.deps).app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, settings.host, settings.port).start()
        if settings.port == 0:
            self.port = int(self._runner.addresses[0][1])
        log.info("console on http://%s:%d%s/", settings.host, self.port, PREFIX)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
