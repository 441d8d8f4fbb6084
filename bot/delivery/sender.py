"""Sending one outbox row: its parts paced by the flood limiter, short waits retried in place,
longer ones handed back as an outcome for the database."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.delivery.limiter import FloodLimiter
from bot.delivery.outcome import Delivered, Outcome, Rejected, Throttled, Transient, backoff
from bot.ops.metrics import Metrics
from storage import outbox
from storage.db import Database
from storage.models import Outbox
from storage.statuses import OutboxKind

IN_PLACE_RETRY_LIMIT_S = 60.0
IN_PLACE_NETWORK_TRIES = 3
THROTTLE_BURST = 3


class Transport(Protocol):
    async def send(
        self, chat_id: int, part: dict[str, Any], markup: dict[str, Any] | None
    ) -> Outcome: ...

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        markup: dict[str, Any] | None,
        *,
        caption: bool = False,
    ) -> Outcome: ...

    async def pin(self, chat_id: int, message_id: int) -> None: ...


class Sender:
    def __init__(
        self, db: Database, transport: Transport, limiter: FloodLimiter, metrics: Metrics
    ) -> None:
        self.db = db
        self.transport = transport
        self.limiter = limiter
        self.metrics = metrics
        self.retry_after_received = 0
        self._recent_throttles: list[float] = []

    async def deliver(self, row: Outbox) -> Outcome:
        """Send every part of the row (the buttons under the last); pin when asked."""
        if row.kind == OutboxKind.EDIT:
            return await self._edit(row)
        payload = row.payload
        parts: list[dict[str, Any]] = payload.get("parts", [])
        last: Outcome = Rejected("empty message")
        for index, part in enumerate(parts):
            markup = payload.get("markup") if index == len(parts) - 1 else None
            last = await self._paced(
                row.chat_id, functools.partial(self.transport.send, row.chat_id, part, markup)
            )
            if not isinstance(last, Delivered):
                return last
        if payload.get("pin") and isinstance(last, Delivered) and last.message_id is not None:
            await self.transport.pin(row.chat_id, last.message_id)
        return last

    async def _paced(self, chat_id: int, call: Callable[[], Awaitable[Outcome]]) -> Outcome:
        """One Bot API call, paced by the limiter, retried in place for short waits."""
        loop = asyncio.get_running_loop()
        network_tries = 0
        while True:
            moment = self.limiter.reserve(chat_id, loop.time())
            if (delay := moment - loop.time()) > 0:
                await asyncio.sleep(delay)
            outcome = await call()
            if isinstance(outcome, Throttled):
                self._note_throttle(chat_id, outcome.retry_after, loop.time())
                if outcome.retry_after <= IN_PLACE_RETRY_LIMIT_S:
                    continue
                return outcome
            if isinstance(outcome, Transient):
                network_tries += 1
                if network_tries < IN_PLACE_NETWORK_TRIES:
                    await asyncio.sleep(backoff(network_tries))
                    continue
            return outcome

    def _note_throttle(self, chat_id: int, seconds: float, now: float) -> None:
        self.retry_after_received += 1
        self.metrics.throttled.inc()
        self.limiter.pause(chat_id, seconds, now)
        self._recent_throttles = [t for t in self._recent_throttles if t > now - 1.0] + [now]
        if len(self._recent_throttles) >= THROTTLE_BURST:
            self.limiter.pause_all(seconds, now)

    async def _edit(self, row: Outbox) -> Outcome:
        async with self.db.read() as session:
            target = await outbox.get_by_key(session, row.payload["target_key"])
        if target is None or target.status in (outbox.FAILED, outbox.INACTIVE, outbox.CANCELLED):
            return Rejected("the message to edit was never delivered")
        if target.message_id is None:
            return Transient("the message to edit is not sent yet")
        message_id = target.message_id
        return await self._paced(
            target.chat_id,
            lambda: self.transport.edit(
                target.chat_id,
                message_id,
                row.payload["text"],
                row.payload.get("markup"),
                caption=bool(row.payload.get("caption")),
            ),
        )
