"""/healthz, /readyz and /metrics on [ops] host and port, served by the bot process itself.

/healthz answers while the event loop does; /readyz also needs the database to answer, its
schema to be current and the outbox to be keeping up; /metrics is Prometheus's text format."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from bot.clock import Clock
from bot.ops.metrics import Metrics
from bot.ops.settings import OpsConfig
from storage import outbox
from storage.db import Database
from storage.migrate import current_revision, head_revision

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[str, ...]


async def readiness(db: Database, clock: Clock, max_lag: timedelta) -> Readiness:
    """Whether this instance can do its work now, and if not, why."""
    reasons: list[str] = []
    try:
        if await current_revision(db) != head_revision():
            reasons.append("the database schema is not current: run `unionbridge db upgrade`")
        now = clock.now()
        async with db.read() as session:
            oldest = await outbox.oldest_due(session, now=now)
        if oldest is not None and now - oldest > max_lag:
            late = int((now - oldest).total_seconds())
            reasons.append(
                f"the outbox is {late} s behind (limit {int(max_lag.total_seconds())} s)"
            )
    except Exception as exc:  # any failure to reach the database is the answer itself
        reasons.append(f"the database does not answer: {type(exc).__name__}")
    return Readiness(not reasons, tuple(reasons))


class OpsServer:
    def __init__(self, settings: OpsConfig, db: Database, clock: Clock, metrics: Metrics) -> None:
        self.settings = settings
        self.db = db
        self.clock = clock
        self.metrics = metrics
        self._runner: web.AppRunner | None = None
        self.port = settings.port

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics_page)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        if self.settings.port == 0:  # an ephemeral port (tests): find which one it got
            for address in self._runner.addresses:
                self.port = int(address[1])
        log.info("health and metrics on http://%s:%d/", self.settings.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(self, _request: web.Request) -> web.Response:
        lag = timedelta(seconds=self.settings.max_outbox_lag_seconds)
        found = await readiness(self.db, self.clock, lag)
        if found.ready:
            return web.Response(text="ready\n")
        return web.Response(status=503, text="not ready\n" + "\n".join(found.reasons) + "\n")

    async def metrics_page(self, _request: web.Request) -> web.Response:
        now = self.clock.now()
        try:
            async with self.db.read() as session:
                self.metrics.set_outbox(await outbox.waiting_by_kind(session, now=now), now)
        except Exception:
            log.warning("could not read the outbox for /metrics")
        # Read after the outbox query has given its connection back: what stays is a leak.
        self.metrics.tasks.set(len(asyncio.all_tasks()) - 1)  # this scrape's own task aside
        self.metrics.db_checked_out.set(self.db.checked_out())
        return web.Response(body=self.metrics.render(), content_type="text/plain", charset="utf-8")
