"""Several bot instances share one outbox: every row is sent once, by whichever takes it."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot

from bot.clock import ManualClock
from bot.delivery.limiter import FloodLimiter
from bot.delivery.telegram_transport import TelegramTransport
from bot.delivery.worker import DeliveryWorker
from bot.emulator import EmulatorServer
from storage import outbox
from storage.db import Database

pytestmark = pytest.mark.e2e
ROWS = 240


async def _pending(db: Database) -> int:
    async with db.read() as session:
        return await outbox.count_open(session)


async def test_two_instances_split_the_work_without_doubles(
    server: EmulatorServer, db_url: str
) -> None:
    emu = server.emulator
    now = datetime.now(UTC)
    setup = Database(db_url)
    rows = []
    for index in range(ROWS):
        chat_id = 800_000 + index
        emu.user(chat_id, f"工友{index}")
        emu.open_private(chat_id)
        rows.append(
            {
                "key": f"test:{index}",
                "kind": "notice",
                "chat_id": chat_id,
                "payload": {"parts": [{"text": f"第 {index} 条"}]},
            }
        )
    async with setup.begin() as session:
        await outbox.enqueue(session, rows, now=now)
    await setup.dispose()
    emu.latency = 0.005
    databases = [Database(db_url), Database(db_url)]
    bots = [Bot(emu.token, base_url=server.base_url) for _ in databases]
    workers = []
    for index, (db, bot) in enumerate(zip(databases, bots, strict=True)):
        await bot.initialize()
        limiter = FloodLimiter(overall_per_second=1000, private_per_second=1, group_per_minute=20)
        worker = DeliveryWorker(
            db,
            TelegramTransport(bot),
            ManualClock(now),
            limiter,
            concurrency=8,
            lease=timedelta(seconds=60),
            poll_seconds=0.02,
            instance=f"instance-{index}",
        )
        worker.start()
        workers.append(worker)
    try:
        async with asyncio.timeout(60):
            while await _pending(databases[0]):
                await emu.wait_changed(0.05)
    finally:
        for worker in workers:
            await worker.stop()
        for bot in bots:
            await bot.shutdown()
    async with databases[0].read() as session:
        senders = await outbox.senders(session)
    for db in databases:
        await db.dispose()
    copies = Counter(m.chat_id for m in emu.sent)
    assert len(copies) == ROWS and set(copies.values()) == {1}
    assert set(senders) == {"instance-0", "instance-1"}  # both took a share
