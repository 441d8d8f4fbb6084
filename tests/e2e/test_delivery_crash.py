"""A crash mid-broadcast loses no recipient and repeats at most the message in flight."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.config import Config
from bot.emulator import EmulatorServer
from bot.notices.release import release
from bot.process import start_delivery
from storage import members, notices
from storage.db import Database
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
RECIPIENTS = 150
FIRST = 700_000
LEASE = timedelta(seconds=60)
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def _broadcast(db: Database, server: EmulatorServer, now: datetime) -> list[int]:
    """Registered members with open chats, and a notice to all of them already queued."""
    ids = []
    async with db.begin() as session:
        for index in range(RECIPIENTS):
            telegram_id = FIRST + index
            member = await members.add(
                session, now=now, telegram_id=telegram_id, name=f"工友{index}", department="一车间"
            )
            await members.mark_registered(session, member, now=now)
            server.emulator.user(telegram_id, f"工友{index}")
            server.emulator.open_private(telegram_id)
            ids.append(telegram_id)
        notice = await notices.add(
            session,
            author_telegram_id=1,
            text="停电检修通知",
            target="members",
            require_ack=False,
            scheduled_at=now,
            created_at=now,
        )
        await release(
            session,
            notice,
            now=now,
            zone=SHANGHAI,
            union="工会",
            group_lang="zh",
        )
    return ids


def _copies(server: EmulatorServer) -> Counter[int]:
    return Counter(m.chat_id for m in server.emulator.sent if "停电检修" in m.text)


async def _wait_for(server: EmulatorServer, count: int) -> None:
    async with asyncio.timeout(30):
        while sum(_copies(server).values()) < count:
            await server.emulator.wait_changed(0.05)


def _single_sender(config: Config) -> Config:
    """One send in flight at a time, so "the message in flight" is exactly one."""
    return config.model_copy(
        update={"delivery": config.delivery.model_copy(update={"concurrency": 1})}
    )


async def test_worker_cancelled_abruptly_resumes_without_loss(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> None:
    harness = Harness(server, _single_sender(harness_config(server, db_url, admins=[])), clock)
    await harness.start()
    try:
        server.emulator.latency = 0.01
        ids = await _broadcast(harness.db, server, clock.now())
        assert harness.app is not None
        deps = harness.app.deps
        worker = deps.delivery.worker
        assert worker is not None
        worker.wake()
        await _wait_for(server, 40)
        worker.kill()  # no clean stop: claims stay as a crash leaves them
        before = sum(_copies(server).values())
        assert before < RECIPIENTS
        clock.advance(LEASE + timedelta(seconds=1))
        assert harness.app.worker_bot is not None
        start_delivery(deps, harness.app.worker_bot)
        await harness.drain()
    finally:
        await harness.stop()
    copies = _copies(server)
    assert set(copies) == set(ids)  # nobody lost
    doubled = [(chat, n) for chat, n in copies.items() if n > 1]
    assert len(doubled) <= 1, doubled  # at most the one in flight


async def test_process_killed_with_sigkill_resumes_without_loss(
    server: EmulatorServer, db_url: str, tmp_path: Path
) -> None:
    started = datetime.now(UTC)
    db = Database(db_url)
    ids = await _broadcast(db, server, started)
    await db.dispose()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{server.base_url}"\n[database]\nurl = "{db_url}"\n'
        "[delivery]\nconcurrency = 1\nlease_seconds = 60\npoll_seconds = 0.05\n"
        "[limits]\noverall_per_second = 1000\n",
        encoding="utf-8",
    )
    server.emulator.latency = 0.02
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        "run",
        env={**os.environ, "UNIONBRIDGE_TOKEN": server.emulator.token},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await _wait_for(server, 30)
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    before = sum(_copies(server).values())
    assert 30 <= before < RECIPIENTS
    # Another instance comes up after the dead one's lease has run out.
    clock = ManualClock(datetime.now(UTC) + LEASE + timedelta(seconds=1))
    harness = Harness(server, harness_config(server, db_url, admins=[]), clock)
    server.emulator.latency = 0.0
    await harness.start()
    try:
        await harness.drain()
    finally:
        await harness.stop()
    copies = _copies(server)
    assert set(copies) == set(ids)
    assert sum(1 for n in copies.values() if n > 1) <= 1
