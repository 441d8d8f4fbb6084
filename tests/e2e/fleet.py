"""Several `unionbridge run` processes against one emulator and one database: the scale-out
test (tests/e2e/test_scaleout.py) and bench/scaleout.py start, watch and kill them here.

The emulator runs in the caller's process, as Telegram would on its own machines, enforcing
the overall flood limit the bots are configured for. Members are seeded in bulk (the bot
itself never does that); a notice to all of them falls due at the fleet's 08:00, so the
first minute tick after it, on whichever worker takes it, releases the broadcast together
with the morning greeting run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from asyncio.subprocess import Process
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.emulator.server import EmulatorServer
from bot.emulator.state import Emulator
from storage import notices, outbox
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member
from storage.statuses import NoticeTarget

FIRST = 2_000_000
NOTICE = "关于年终职工体检安排的通知"
GREETING = "生日快乐"
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 24)  # a Tuesday with no festival
MORNING = time_of_day(8, 0)
# How long after the fleet is launched its clock reads 08:00: a process's first minute tick
# comes at least a second after it starts, so it already falls after 08:00.
EIGHT_AFTER_SECONDS = 1.0
CLOCK_OFFSET_ENV = "UNIONBRIDGE_CLOCK_OFFSET_SECONDS"


async def seed(url: str, emu: Emulator, recipients: int, *, birthdays: int) -> None:
    """`recipients` registered members with open chats (the first `birthdays` born on DAY)
    and a notice to every member due at DAY 08:00."""
    db = Database(url)
    await upgrade(db)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {"telegram_id": FIRST + index, "name": f"工友{index}", "department": "一车间",
         "language": "zh", "role": "member", "active": True, "bday_leap": False,
         "share_birthday": False, "hide_year": True, "registered_at": now, "created_at": now,
         "updated_at": now}
        for index in range(recipients)
    ]  # fmt: skip
    for row in rows[:birthdays]:
        row.update(bday_kind="solar", bday_month=DAY.month, bday_day=DAY.day)
    due = datetime.combine(DAY, MORNING, tzinfo=SHANGHAI)
    try:
        async with db.begin() as session:
            for start in range(0, len(rows), 5000):
                await session.exec(insert(Member), params=rows[start : start + 5000])
            await notices.add(
                session,
                author_telegram_id=1,
                text=NOTICE,
                target=NoticeTarget.MEMBERS,
                require_ack=False,
                scheduled_at=due,
                created_at=due,
            )
    finally:
        await db.dispose()
    for index in range(recipients):
        emu.user(FIRST + index, f"工友{index}")
        emu.open_private(FIRST + index)


async def enqueue_direct(url: str, *, key: str, text: str, chats: list[int], now: datetime) -> None:
    """Rows straight into the outbox, due `now`, as any job would queue them."""
    db = Database(url)
    rows = [
        {"key": f"{key}:{chat}", "kind": "notice", "chat_id": chat,
         "payload": {"parts": [{"text": text}]}}
        for chat in chats
    ]  # fmt: skip
    try:
        async with db.begin() as session:
            await outbox.enqueue(session, rows, now=now)
    finally:
        await db.dispose()


def write_config(
    workdir: Path, server: EmulatorServer, url: str, *, rate: int, concurrency: int, lease: int
) -> Path:
    config = workdir / "config.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{server.base_url}"\n[database]\nurl = "{url}"\n'
        f"[limits]\noverall_per_second = {rate}\n"
        f"[delivery]\nconcurrency = {concurrency}\nlease_seconds = {lease}\n"
        "poll_seconds = 0.2\nsend_timeout_seconds = 10\n"
        "[ops]\nenabled = false\n",
        encoding="utf-8",
    )
    return config


@dataclass
class Fleet:
    """The processes of one run, all on one clock that reads 08:00 soon after launch."""

    server: EmulatorServer
    config: Path
    offset_seconds: float = 0.0
    processes: dict[str, list[Process]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        eight = datetime.combine(DAY, MORNING, tzinfo=SHANGHAI)
        launch = datetime.now(UTC) + timedelta(seconds=EIGHT_AFTER_SECONDS)
        self.offset_seconds = (eight - launch).total_seconds()

    async def start(self, role: str, count: int = 1) -> list[Process]:
        env = {
            **os.environ,
            "UNIONBRIDGE_TOKEN": self.server.emulator.token,
            CLOCK_OFFSET_ENV: f"{self.offset_seconds:.3f}",
        }
        started: list[Process] = []
        for _ in range(count):
            # Each process's log beside the config, for when a run goes wrong.
            log = (
                self.config.parent
                / f"{role}-{len(self.processes.get(role, [])) + len(started)}.log"
            )
            with log.open("wb") as sink:
                started.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "bot",
                        "--config",
                        str(self.config),
                        "run",
                        "--role",
                        role,
                        env=env,
                        stdout=sink,
                        stderr=sink,
                    )
                )
        self.processes.setdefault(role, []).extend(started)
        return started

    def now(self) -> datetime:
        """What the fleet's processes read on their clocks."""
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds)

    @property
    def workers(self) -> list[Process]:
        return self.processes.get("worker", [])

    async def stop(self) -> None:
        for process in (p for group in self.processes.values() for p in group):
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
        for process in (p for group in self.processes.values() for p in group):
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


class Deliveries:
    """Copies of one text per chat as the emulator received them, with when the first and
    the latest arrived (scanned incrementally, never recounted)."""

    def __init__(self, emu: Emulator, text: str) -> None:
        self.emu = emu
        self.text = text
        self.seen = 0
        self.copies: Counter[int] = Counter()
        self.first: float | None = None
        self.last: float | None = None

    def update(self) -> int:
        fresh = [m for m in self.emu.sent[self.seen :] if self.text in m.text]
        self.seen = len(self.emu.sent)
        if fresh:
            now = time.perf_counter()
            self.first = self.first or now
            self.last = now
        for message in fresh:
            self.copies[message.chat_id] += 1
        return sum(self.copies.values())

    async def wait_for(self, count: int) -> None:
        """Until `count` chats have a copy (the caller bounds the wait)."""
        self.update()
        while len(self.copies) < count:
            await self.emu.wait_changed(0.05)
            self.update()

    def rate(self) -> float:
        """Messages a second from the first to the latest ((n - 1) gaps between n)."""
        total = sum(self.copies.values())
        if self.first is None or self.last is None or self.last <= self.first:
            return 0.0
        return (total - 1) / (self.last - self.first)

    def lost(self, chats: list[int]) -> int:
        return sum(1 for chat in chats if self.copies[chat] == 0)

    def doubled(self) -> int:
        return sum(1 for count in self.copies.values() if count > 1)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a live process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks
