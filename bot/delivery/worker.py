"""The delivery worker: drains the outbox under Telegram's limits, classifying every failure.

Each row is claimed with a lease, sent, and its outcome written at once, so a crash loses
nothing (unsent rows are reclaimed when the lease runs out) and repeats at most what was in
flight. Short waits (a 429's retry_after, a network blip) are retried in place; longer ones
go back to the database with a due time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.delivery.limiter import FloodLimiter
from bot.delivery.outcome import (
    Delivered,
    Migrated,
    Outcome,
    Rejected,
    Throttled,
    Transient,
    backoff,
)
from bot.delivery.recorder import OutcomeRecorder
from storage import outbox
from storage.db import Database
from storage.models import Outbox

log = logging.getLogger(__name__)
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


def instance_name() -> str:
    return f"{socket.gethostname()[:20]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DeliveryWorker:
    def __init__(
        self,
        db: Database,
        transport: Transport,
        clock: Clock,
        limiter: FloodLimiter,
        *,
        concurrency: int = 16,
        lease: timedelta = timedelta(seconds=60),
        poll_seconds: float = 1.0,
        instance: str | None = None,
    ) -> None:
        self.db = db
        self.transport = transport
        self.clock = clock
        self.limiter = limiter
        self.concurrency = concurrency
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.instance = instance or instance_name()
        self._wake = asyncio.Event()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._loop_task: asyncio.Task[None] | None = None
        self._recent_throttles: list[float] = []
        self._recorder = OutcomeRecorder(db, clock)
        self.retry_after_received = 0

    def wake(self) -> None:
        """New rows were enqueued in this process: look now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        self._recorder.start()
        self._loop_task = asyncio.get_running_loop().create_task(self.run(), name="outbox-worker")

    async def stop(self, *, grace: float = 5.0) -> None:
        """Stop claiming, let sends in flight finish (up to `grace` s), hand back the rest."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        pending = list(self._in_flight.values())
        if pending:
            _, still = await asyncio.wait(pending, timeout=grace)
            for task in still:
                task.cancel()
            await asyncio.gather(*still, return_exceptions=True)
        await self._recorder.stop()
        async with self.db.begin() as session:
            await outbox.release_claims(session, instance=self.instance)

    def kill(self) -> None:
        """Abandon everything at once, as a crash would (tests)."""
        for task in [self._loop_task, *self._in_flight.values()]:
            if task is not None:
                task.cancel()
        self._loop_task = None
        self._recorder.kill()

    @property
    def busy(self) -> bool:
        return bool(self._in_flight)

    async def run(self) -> None:
        while True:
            free = self.concurrency - len(self._in_flight)
            rows: list[Outbox] = []
            # Claim in batches: one claim per freed slot would cost a write transaction each.
            if free >= max(1, self.concurrency // 4) or not self._in_flight:
                try:
                    rows = await self._claim(free)
                except Exception:  # the database may be briefly unavailable; keep the worker alive
                    log.exception("claiming outbox rows failed; retrying")
            for row in rows:
                task = asyncio.get_running_loop().create_task(self._deliver(row))
                self._in_flight[row.chat_id] = task
                task.add_done_callback(functools.partial(self._done, row.chat_id))
            if not rows or free <= len(rows):
                await self._sleep()

    def _done(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(chat_id, None)
        self._wake.set()

    async def _sleep(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
        self._wake.clear()

    async def _claim(self, limit: int) -> list[Outbox]:
        async with self.db.begin() as session:
            return await outbox.claim(
                session,
                instance=self.instance,
                now=self.clock.now(),
                lease=self.lease,
                limit=limit,
                busy_chats=set(self._in_flight),
            )

    async def _deliver(self, row: Outbox) -> None:
        try:
            outcome = await self._attempt(row)
            await self._recorder.record(row, outcome)
            if isinstance(outcome, Migrated):
                self.wake()  # the row is due again at its new chat id
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering outbox row %s failed unexpectedly", row.id)
            await self._recorder.record(row, Transient("internal error"))

    async def _with_retries(self, chat_id: int, send: Any) -> Outcome:
        """One Bot API call, paced by the limiter, retried in place for short waits."""
        loop = asyncio.get_running_loop()
        network_tries = 0
        while True:
            moment = self.limiter.reserve(chat_id, loop.time())
            if (delay := moment - loop.time()) > 0:
                await asyncio.sleep(delay)
            outcome: Outcome = await send()
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
        self.limiter.pause(chat_id, seconds, now)
        self._recent_throttles = [t for t in self._recent_throttles if t > now - 1.0] + [now]
        if len(self._recent_throttles) >= THROTTLE_BURST:
            self.limiter.pause_all(seconds, now)

    async def _attempt(self, row: Outbox) -> Outcome:
        payload = row.payload
        if row.kind == "edit":
            return await self._edit(row)
        parts: list[dict[str, Any]] = payload.get("parts", [])
        last: Outcome = Rejected("empty message")
        for index, part in enumerate(parts):
            markup = payload.get("markup") if index == len(parts) - 1 else None
            last = await self._with_retries(
                row.chat_id, lambda p=part, m=markup: self.transport.send(row.chat_id, p, m)
            )
            if not isinstance(last, Delivered):
                return last
        if payload.get("pin") and isinstance(last, Delivered) and last.message_id is not None:
            await self.transport.pin(row.chat_id, last.message_id)
        return last

    async def _edit(self, row: Outbox) -> Outcome:
        async with self.db.read() as session:
            target = await outbox.get_by_key(session, row.payload["target_key"])
        if target is None or target.status in (outbox.FAILED, outbox.INACTIVE, outbox.CANCELLED):
            return Rejected("the message to edit was never delivered")
        if target.message_id is None:
            return Transient("the message to edit is not sent yet")
        message_id = target.message_id
        return await self._with_retries(
            target.chat_id,
            lambda: self.transport.edit(
                target.chat_id,
                message_id,
                row.payload["text"],
                row.payload.get("markup"),
                caption=bool(row.payload.get("caption")),
            ),
        )
