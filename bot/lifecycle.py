"""Running an Application inside an event loop someone else owns (the sandbox, the tests),
in the order PTB's own run_polling follows, hooks included."""

from __future__ import annotations

from bot.app import ALLOWED_UPDATES
from bot.context import UnionBridgeApplication


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
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
