"""PTB's rate-limiter hook, backed by the outbox worker's FloodLimiter.

Direct replies and the worker's bulk sends then draw on one budget, so together they stay
under Telegram's limits. A reply goes ahead of queued bulk sends (it only pushes them back),
which keeps replies fast while a broadcast runs.

A reply Telegram did not take — 429, a 5xx or a request that timed out — is tried again a
couple of times, so a member's answer survives a bad moment instead of turning into an
error message (a timed-out send may, rarely, have reached Telegram: one duplicate reply is
the lesser harm than a lost one).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.delivery.limiter import FloodLimiter
from storage.update_reads import end_shared_reads

COUNTED_PREFIXES = ("send", "edit", "copy", "forward", "pin")
MAX_RETRIES = 2
NETWORK_BACKOFF = 0.2  # seconds before trying again after a 5xx or a timeout, then doubled


class SharedRateLimiter(BaseRateLimiter[None]):
    def __init__(self, limiter: FloodLimiter) -> None:
        self.limiter = limiter

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(  # noqa: PLR0917 (the signature is PTB's)
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        await end_shared_reads()  # no pooled connection waits on Telegram
        chat = data.get("chat_id")
        counted = endpoint.lower().startswith(COUNTED_PREFIXES) and isinstance(chat, int)
        loop = asyncio.get_running_loop()
        for attempt in range(MAX_RETRIES + 1):
            if counted:
                assert isinstance(chat, int)
                delay = self.limiter.reserve_priority(chat, loop.time()) - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == MAX_RETRIES:
                    raise
                wait = exc.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                if isinstance(chat, int):
                    self.limiter.pause(chat, seconds, loop.time())
                await asyncio.sleep(seconds)
            except BadRequest:
                raise  # PTB's BadRequest is a NetworkError too: the request itself is wrong
            except NetworkError:
                if attempt == MAX_RETRIES or endpoint == "getUpdates":
                    raise  # the poller has its own way with a failed poll
                await asyncio.sleep(NETWORK_BACKOFF * 2**attempt)
        raise AssertionError("unreachable")
