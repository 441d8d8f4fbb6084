"""Running an Application inside an event loop someone else owns (the sandbox, the tests),
in the order PTB's own run_polling follows, hooks included."""

from __future__ import annotations

import asyncio
import signal

from bot.app import ALLOWED_UPDATES
from bot.config import WebhookConfig
from bot.context import UnionBridgeApplication
from bot.webhook import WebhookServer


async def start_polling(app: UnionBridgeApplication, *, long_poll_seconds: int = 5) -> None:
    await start(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0.0, timeout=long_poll_seconds, allowed_updates=ALLOWED_UPDATES
    )


async def start(app: UnionBridgeApplication) -> None:
    """Initialize and start, without fetching updates yet."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()


async def stop(app: UnionBridgeApplication) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


async def _signalled() -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    await stopping.wait()


async def run_until_signalled(app: UnionBridgeApplication) -> None:
    """A process that takes no updates (a worker): start, wait for SIGINT or SIGTERM, stop."""
    await start(app)
    try:
        await _signalled()
    finally:
        await stop(app)


async def run_webhook(app: UnionBridgeApplication, settings: WebhookConfig) -> None:
    """Take updates by webhook until SIGINT or SIGTERM."""
    server = WebhookServer(app, settings)
    await start(app)
    try:
        await server.start()
        await _signalled()
    finally:
        await server.stop()
        await stop(app)
