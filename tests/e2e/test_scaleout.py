"""Scale-out on PostgreSQL with real processes: one `run --role updates` and three
`run --role worker` against the emulator. A 5,000-recipient broadcast under the flood limit
goes out at the configured rate with nobody lost and nobody sent it twice; the workers'
clocks cross 08:00 together and each birthday is greeted once; a worker killed with SIGKILL
mid-run leaves its rows to the others once its lease runs out."""

from __future__ import annotations

import asyncio
import os
import signal
import warnings
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.emulator import EmulatorServer
from storage import outbox
from storage.db import Database
from storage.models import Outbox
from storage.statuses import OutboxStatus
from tests.e2e.fleet import (
    FIRST,
    GREETING,
    NOTICE,
    Deliveries,
    Fleet,
    enqueue_direct,
    seed,
    write_config,
)

pytestmark = pytest.mark.e2e
RECIPIENTS = 5000
BIRTHDAYS = 40
RATE = 150  # the flood limit, messages a second, the emulator's and the bots' alike
CONCURRENCY = 8
LEASE = 10  # seconds: the shortest the configuration allows
SECOND_BATCH = 600
SECOND_TEXT = "停电检修通知"
ASKER = 42


async def _claimed_by(db_url: str, pid: int) -> list[int]:
    """The rows a worker process held (leased, not yet sent) when it died."""
    db = Database(db_url)
    try:
        async with db.read() as session:
            rows = await session.exec(
                select(Outbox.id).where(
                    col(Outbox.status) == OutboxStatus.SENDING,
                    col(Outbox.claimed_by).contains(f":{pid}:"),
                )
            )
            return [row_id for row_id in rows.all() if row_id is not None]
    finally:
        await db.dispose()


async def _rows(db_url: str, ids: list[int]) -> list[Outbox]:
    db = Database(db_url)
    try:
        async with db.read() as session:
            return list((await session.exec(select(Outbox).where(col(Outbox.id).in_(ids)))).all())
    finally:
        await db.dispose()


async def _senders(db_url: str) -> list[str]:
    db = Database(db_url)
    try:
        async with db.read() as session:
            return await outbox.senders(session)
    finally:
        await db.dispose()


def _check_rate(achieved: float) -> None:
    """At least 95% of the configured rate, where the machine had the CPU for it: a run
    sharing two cores with other work measures the machine, not the fleet (then only
    warned; bench/scaleout.py reports the figure)."""
    busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    if busy > 1.0 and achieved / RATE < 0.95:
        warnings.warn(
            f"{achieved:.0f} msg/s of {RATE} on a machine loaded {busy:.1f}x", stacklevel=2
        )
        return
    assert achieved / RATE >= 0.95, achieved


async def _ask(server: EmulatorServer) -> None:
    """A member's /help is answered (by the updates instance: workers take no updates)."""
    emu = server.emulator
    emu.user(ASKER, "提问的人")
    emu.send_text(ASKER, "/help")
    async with asyncio.timeout(20):
        while not emu.chat_messages(ASKER):
            await emu.wait_changed(0.1)


async def test_one_updates_and_three_workers_share_the_work(
    server: EmulatorServer, db_url: str, tmp_path: Path
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("several processes share the outbox on PostgreSQL")
    emu = server.emulator
    emu.limits.overall_per_second = RATE
    emu.latency = 0.005
    await seed(db_url, emu, RECIPIENTS, birthdays=BIRTHDAYS)
    config = write_config(tmp_path, server, db_url, rate=RATE, concurrency=CONCURRENCY, lease=LEASE)
    fleet = Fleet(server, config)
    chats = [FIRST + index for index in range(RECIPIENTS)]
    notices, greetings = Deliveries(emu, NOTICE), Deliveries(emu, GREETING)
    try:
        [updates] = await fleet.start("updates")
        workers = await fleet.start("worker", 3)
        async with asyncio.timeout(120):  # four processes starting on a busy machine
            await notices.wait_for(1)
        async with asyncio.timeout(RECIPIENTS / RATE * 4 + 30):
            await notices.wait_for(RECIPIENTS)
            await greetings.wait_for(BIRTHDAYS)
        await _ask(server)
        await asyncio.sleep(1)  # (not a time of day: anything sent twice would arrive now)
        notices.update()
        greetings.update()
        assert notices.lost(chats) == 0 and notices.doubled() == 0
        _check_rate(notices.rate())
        assert sorted(greetings.copies) == chats[:BIRTHDAYS] and greetings.doubled() == 0
        senders = await _senders(db_url)
        assert len(senders) >= 2 and not any(f":{updates.pid}:" in s for s in senders)

        # A second batch; one worker is killed with SIGKILL part-way through it.
        batch = Deliveries(emu, SECOND_TEXT)
        second = chats[:SECOND_BATCH]
        await enqueue_direct(db_url, key="second", text=SECOND_TEXT, chats=second, now=fleet.now())
        victim = workers[0]
        async with asyncio.timeout(30):
            await batch.wait_for(SECOND_BATCH // 5)
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        held = await _claimed_by(db_url, victim.pid)
        async with asyncio.timeout(LEASE + 40):
            await batch.wait_for(SECOND_BATCH)
        taken_over = await _rows(db_url, held)
    finally:
        await fleet.stop()
    assert batch.lost(second) == 0
    # At most what the killed worker had in flight can have gone twice.
    assert batch.doubled() <= CONCURRENCY
    assert held and all(row.status == OutboxStatus.SENT for row in taken_over)
    assert not any(f":{victim.pid}:" in (row.claimed_by or "") for row in taken_over)
