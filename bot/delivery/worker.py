"""The delivery worker: drains the outbox under Telegram's limits, classifying every failure.

Rows are claimed with a lease ahead of need, so a free slot never waits for a claim. Each
send keeps its slot until its outcome is durable, so a crash repeats at most what was in
flight; the number of slots follows the measured cycle of a send (pacing, the call, the
batched commit), so the configured rate is met on a slow disk as on a fast one. Unsent rows
are reclaimed when the lease runs out; short waits (a 429's retry_after, a network blip) are
retried in place, longer ones go back to the database with a due time.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import uuid
from collections import deque
from datetime import timedelta

from bot.clock import Clock
from bot.delivery.limiter import FloodLimiter
from bot.delivery.outcome import Migrated, Transient
from bot.delivery.pacing import CycleMeter, slots_for
from bot.delivery.recorder import OutcomeRecorder
from bot.delivery.sender import Sender, Transport
from bot.ops.metrics import Metrics
from bot.ops.outage import OutageTracker
from storage import outbox, presence
from storage.db import Database, is_unavailable
from storage.models import Outbox

log = logging.getLogger(__name__)
READY_FACTOR = 2  # claimed rows kept ready, as a multiple of the slots
PRESENCE_SECONDS = 5.0  # how often a worker says it is alive and counts the others
PRESENCE_WINDOW = timedelta(seconds=15)  # a worker not seen for this long is gone
# For its first PRESENCE_WINDOW a worker beats every second: workers started together (a
# deploy, a restart) find each other before the morning's broadcast, not 5 s into it.
PRESENCE_SETTLING_SECONDS = 1.0


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
        metrics: Metrics | None = None,
        outage: OutageTracker | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.limiter = limiter
        self.max_slots = concurrency
        self.lease = lease
        self.poll_seconds = poll_seconds
        self.instance = instance or instance_name()
        self.metrics = metrics or Metrics()
        self.outage = outage or OutageTracker()
        self.sender = Sender(db, transport, limiter, self.metrics)
        self.cycle = CycleMeter()
        self._wake = asyncio.Event()
        self._ready: deque[Outbox] = deque()
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._claiming: asyncio.Task[list[Outbox]] | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._presence_task: asyncio.Task[None] | None = None
        self.peers = 1
        self._recorder = OutcomeRecorder(db, clock, self.outage)
        self._claim_failing = False
        self._nothing_due = False  # the last claim found nothing: wait for news or the poll
        self._stopping = False

    @property
    def retry_after_received(self) -> int:
        return self.sender.retry_after_received

    @property
    def slots(self) -> int:
        rate = 1.0 / self.limiter.overall_interval
        return slots_for(rate, self.cycle.seconds, self.max_slots)

    def wake(self) -> None:
        """New rows were enqueued in this process: look now instead of at the next poll."""
        self._nothing_due = False
        self._wake.set()

    def start(self) -> None:
        self._recorder.start()
        loop = asyncio.get_running_loop()
        self._loop_task = loop.create_task(self.run(), name="outbox-worker")
        self._presence_task = loop.create_task(self._presence(), name="outbox-presence")

    async def _presence(self) -> None:
        """Say this worker is alive and take its share of the flood limit among those that are."""
        loop = asyncio.get_running_loop()
        settled_at = loop.time() + PRESENCE_WINDOW.total_seconds()
        while True:
            now = self.clock.now()
            try:
                async with self.db.begin() as session:
                    await presence.beat(session, instance=self.instance, now=now)
                    self.peers = await presence.alive(session, since=now - PRESENCE_WINDOW)
                self.limiter.share(self.peers)
            except Exception:  # the database may be briefly unavailable; the claims will say so
                log.debug("presence beat failed", exc_info=True)
            settling = loop.time() < settled_at
            await asyncio.sleep(PRESENCE_SETTLING_SECONDS if settling else PRESENCE_SECONDS)

    async def stop(self, *, grace: float = 5.0) -> None:
        """Stop claiming, let sends in flight finish (up to `grace` s), hand back the rest."""
        self._stopping = True
        for task in (self._loop_task, self._claiming, self._presence_task):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._loop_task = self._claiming = self._presence_task = None
        pending = list(self._in_flight.values())
        if pending:
            _, still = await asyncio.wait(pending, timeout=grace)
            for task in still:
                task.cancel()
            await asyncio.gather(*still, return_exceptions=True)
        await self._recorder.stop()
        self._ready.clear()
        async with self.db.begin() as session:
            await outbox.release_claims(session, instance=self.instance)
            await presence.leave(session, instance=self.instance)

    def kill(self) -> None:
        """Abandon everything at once, as a crash would (tests)."""
        tasks = [self._loop_task, self._claiming, self._presence_task, *self._in_flight.values()]
        for task in tasks:
            if task is not None:
                task.cancel()
        self._loop_task = self._claiming = self._presence_task = None
        self._ready.clear()
        self._recorder.kill()

    @property
    def busy(self) -> bool:
        return bool(self._in_flight or self._ready or self._claiming)

    async def run(self) -> None:
        while not self._stopping:
            self._top_up()
            self._start_sends()
            await self._sleep()

    def _top_up(self) -> None:
        """Claim more rows in the background when fewer are ready than the slots will need."""
        wanted = READY_FACTOR * self.slots - len(self._ready)
        if self._claiming is not None or self._nothing_due or wanted < max(1, self.slots // 2):
            return
        busy = set(self._in_flight) | {row.chat_id for row in self._ready}
        task = asyncio.get_running_loop().create_task(self._claim(wanted, busy))
        task.add_done_callback(self._claimed)
        self._claiming = task

    def _claimed(self, task: asyncio.Task[list[Outbox]]) -> None:
        self._claiming = None
        if not task.cancelled() and task.exception() is None:
            rows = task.result()
            self._ready.extend(rows)
            self._nothing_due = not rows
        self._wake.set()

    async def _claim(self, limit: int, busy: set[int]) -> list[Outbox]:
        try:
            async with self.db.begin() as session:
                rows = await outbox.claim(
                    session,
                    instance=self.instance,
                    now=self.clock.now(),
                    lease=self.lease,
                    limit=limit,
                    busy_chats=busy,
                )
        except Exception as error:  # the database may be unavailable a while; keep the worker
            if is_unavailable(error):
                self.outage.failed("claiming outbox rows", error)
            elif not self._claim_failing:
                log.exception("claiming outbox rows failed; retrying until it works again")
            self._claim_failing = True
            await asyncio.sleep(self.poll_seconds)
            return []
        if self._claim_failing:
            self.outage.worked()
            self._claim_failing = False
        return rows

    def _start_sends(self) -> None:
        loop = asyncio.get_running_loop()
        while self._ready and len(self._in_flight) < self.slots:
            row = self._ready.popleft()
            task = loop.create_task(self._deliver(row))
            self._in_flight[row.chat_id] = task
            task.add_done_callback(functools.partial(self._done, row.chat_id))

    def _done(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(chat_id, None)
        self._nothing_due = False  # this chat's next row, if any, may be claimed now
        self._wake.set()

    async def _sleep(self) -> None:
        # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation that
        # arrives as the event is set, and the worker would never stop.
        try:
            async with asyncio.timeout(self.poll_seconds):
                await self._wake.wait()
        except TimeoutError:
            self._nothing_due = False  # rows queued by another instance, or falling due
        self._wake.clear()

    async def _deliver(self, row: Outbox) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            outcome = await self.sender.deliver(row)
            self.metrics.sends.labels(type(outcome).__name__.lower()).inc()
            await self._recorder.record(row, outcome)
            if isinstance(outcome, Migrated):
                self.wake()  # the row is due again at its new chat id
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering outbox row %s failed unexpectedly", row.id)
            await self._recorder.record(row, Transient("internal error"))
        self.cycle.add(loop.time() - started)
