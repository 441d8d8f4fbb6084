"""What one bot process runs besides its handlers, by its role: the outbox worker and the
recurring jobs (role `worker`), taking updates (role `updates`), or both (role `all`), plus
the health and metrics server. Several processes share one PostgreSQL database: the outbox
is shared through leases, each job run through a lease per due time."""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum

from telegram import Bot

from bot.config import Config
from bot.context import UnionBridgeApplication
from bot.delivery.aiohttp_request import AiohttpRequest
from bot.delivery.telegram_transport import TelegramTransport
from bot.delivery.worker import DeliveryWorker
from bot.deps import Deps
from bot.ops.server import OpsServer

log = logging.getLogger(__name__)


class ProcessRole(StrEnum):
    ALL = "all"  # take updates and deliver: one process does everything (the default)
    UPDATES = "updates"  # take updates and answer them; the outbox is left to workers
    WORKER = "worker"  # deliver the outbox and run the scheduled jobs

    @property
    def takes_updates(self) -> bool:
        return self != ProcessRole.WORKER

    @property
    def delivers(self) -> bool:
        return self != ProcessRole.UPDATES


def worker_bot(config: Config, token: str) -> Bot:
    """The outbox's own Bot: paced by the worker's limiter, not PTB's, so 429s reach it."""
    delivery = config.delivery
    request = AiohttpRequest(
        connections=delivery.concurrency + 4,
        timeout=delivery.send_timeout_seconds,
        media_timeout=delivery.send_timeout_seconds * 3,
    )
    telegram = config.telegram
    return Bot(
        token,
        base_url=telegram.base_url or "https://api.telegram.org/bot",
        base_file_url=telegram.base_file_url or "https://api.telegram.org/file/bot",
        request=request,
    )


def start_delivery(deps: Deps, bot: Bot) -> DeliveryWorker:
    """Build and start the outbox worker for this process."""
    config = deps.config
    worker = DeliveryWorker(
        deps.db,
        TelegramTransport(bot),
        deps.clock,
        deps.delivery.limiter,
        concurrency=config.delivery.concurrency,
        lease=timedelta(seconds=config.delivery.lease_seconds),
        poll_seconds=config.delivery.poll_seconds,
        metrics=deps.metrics,
        outage=deps.outage,
        instance=deps.instance,
    )
    deps.delivery.worker = worker
    worker.start()
    return worker


async def start_worker(application: UnionBridgeApplication) -> None:
    """The outbox worker on its own Bot."""
    deps = application.deps
    bot = worker_bot(deps.config, application.bot.token)
    await bot.initialize()
    application.worker_bot = bot
    start_delivery(deps, bot)


async def stop_worker(application: UnionBridgeApplication) -> None:
    worker = application.deps.delivery.worker
    if worker is not None:
        await worker.stop()
        application.deps.delivery.worker = None
    if application.worker_bot is not None:
        await application.worker_bot.shutdown()
        application.worker_bot = None


async def start_ops(application: UnionBridgeApplication) -> None:
    """The health and metrics server; the bot runs on without it if its port is taken."""
    deps = application.deps
    settings = deps.config.ops
    if not settings.enabled:
        return
    server = OpsServer(settings, deps.db, deps.clock, deps.metrics)
    try:
        await server.start()
    except OSError as exc:
        log.error(
            "no health and metrics: cannot listen on %s:%d (%s); "
            "set [ops] port, or enabled = false",
            settings.host,
            settings.port,
            exc.strerror,
        )
        await server.stop()
        return
    application.ops_server = server


async def stop_ops(application: UnionBridgeApplication) -> None:
    if application.ops_server is not None:
        await application.ops_server.stop()
        application.ops_server = None


async def start_console(application: UnionBridgeApplication) -> None:
    """The cadres' console on [console] host:port, for a process that takes updates by
    polling (in webhook mode the webhook server serves it); the bot runs on without it if
    its port is taken."""
    deps = application.deps
    settings = deps.config.console
    if not settings.enabled or not application.role.takes_updates:
        return
    if deps.config.telegram.mode == "webhook":
        return
    from bot.console.routes import ConsoleServer  # off by default: a start without it is lighter

    server = ConsoleServer(deps)
    try:
        await server.start()
    except OSError as exc:
        log.error(
            "no console: cannot listen on %s:%d (%s); set [console] port, or enabled = false",
            settings.host,
            settings.port,
            exc.strerror,
        )
        await server.stop()
        return
    application.console_server = server


async def stop_console(application: UnionBridgeApplication) -> None:
    if application.console_server is not None:
        await application.console_server.stop()
        application.console_server = None
