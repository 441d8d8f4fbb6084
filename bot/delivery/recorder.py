"""Writing delivery outcomes: group commit, so many sends share one write transaction.

A send's slot stays taken until its outcome is durable, so what a crash can repeat is
bounded by the number of sends in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.delivery.outcome import (
    MAX_ATTEMPTS,
    Delivered,
    Migrated,
    Outcome,
    Throttled,
    Transient,
    Unreachable,
    backoff,
)
from bot.ops.outage import OutageTracker
from storage import groups, members, outbox
from storage.db import Database, is_unavailable
from storage.models import Outbox

log = logging.getLogger(__name__)
Pending = tuple[Outbox, Outcome, "asyncio.Future[None]"]


class OutcomeRecorder:
    def __init__(self, db: Database, clock: Clock, outage: OutageTracker | None = None) -> None:
        self.db = db
        self.clock = clock
        self.outage = outage
        self._pending: list[Pending] = []
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-recorder")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def kill(self) -> None:
        """Drop unwritten outcomes, as a crash would (tests)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def record(self, row: Outbox, outcome: Outcome) -> None:
        """Return once the outcome is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, outcome, done))
        self._ready.set()
        await done

    async def _run(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            batch, self._pending = self._pending, []
            try:
                await self._write_until_durable(batch)
            except Exception as exc:
                log.exception("recording %d delivery outcomes failed", len(batch))
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _write_until_durable(self, batch: list[Pending]) -> None:
        """Write a batch; while the database is unavailable, keep it and try again. The
        messages were sent: forgetting their outcomes would send them again when the lease ran
        out, so the sends wait (holding their slots) until the database is back."""
        pause = 0.5
        while True:
            try:
                async with self.db.begin() as session:
                    results = [(row, outcome) for row, outcome, _ in batch]
                    await write(session, results, now=self.clock.now())
            except Exception as error:
                if not is_unavailable(error):
                    raise
                if self.outage is not None:
                    self.outage.failed("recording delivery outcomes", error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            if self.outage is not None:
                self.outage.worked()
            return


async def write(
    session: AsyncSession, results: list[tuple[Outbox, Outcome]], *, now: datetime
) -> None:
    """Store a batch of outcomes: deliveries in one statement, the rarer outcomes one by one."""
    sent = [
        (row.id, outcome.message_id)
        for row, outcome in results
        if isinstance(outcome, Delivered) and row.id is not None
    ]
    await outbox.mark_sent(session, sent, now=now)
    for row, outcome in results:
        if not isinstance(outcome, Delivered):
            await apply(session, row, outcome, now=now)


async def apply(session: AsyncSession, row: Outbox, outcome: Outcome, *, now: datetime) -> None:
    """What one failed attempt means for its row (and for the recipient)."""
    assert row.id is not None
    if isinstance(outcome, Unreachable):
        await _close(session, row, outcome.reason, now)
    elif isinstance(outcome, Migrated):
        await groups.migrate(
            session, old_chat_id=row.chat_id, new_chat_id=outcome.new_chat_id, now=now
        )
        await outbox.move_chat(session, old_chat_id=row.chat_id, new_chat_id=outcome.new_chat_id)
        await outbox.retry_later(
            session, row.id, not_before=now, attempts=row.attempts, error="migrated"
        )
    elif isinstance(outcome, Throttled):
        wait = timedelta(seconds=outcome.retry_after)
        await outbox.retry_later(
            session, row.id, not_before=now + wait, attempts=row.attempts, error="429"
        )
    elif isinstance(outcome, Transient):
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            error = f"network: {outcome.reason}"[:200]
            await outbox.finish(
                session, row.id, status=outbox.FAILED, now=now, error=error, attempts=attempts
            )
        else:
            due = now + timedelta(seconds=backoff(attempts))
            await outbox.retry_later(
                session, row.id, not_before=due, attempts=attempts, error=outcome.reason[:200]
            )
    elif not isinstance(outcome, Delivered):
        await outbox.finish(
            session, row.id, status=outbox.FAILED, now=now, error=outcome.reason[:200]
        )


async def _close(session: AsyncSession, row: Outbox, reason: str, now: datetime) -> None:
    """The recipient cannot be reached any more: settle all its rows and remember it."""
    await outbox.close_chat(session, chat_id=row.chat_id, reason=reason)
    if row.chat_id > 0:
        member = await members.get_by_telegram_id(session, row.chat_id)
        if member is not None:
            await members.mark_unreachable(session, member, reason=reason, now=now)
    else:
        group = await groups.get(session, row.chat_id)
        if group is not None:
            await groups.record(
                session, chat_id=group.chat_id, title=group.title, bot_status=reason, now=now
            )
