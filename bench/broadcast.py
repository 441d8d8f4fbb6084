"""A broadcast to N private members: the real bot process against the local Bot API emulator.

The emulator (in this process, as Telegram would be on its own machines) enforces the overall
flood limit at --rate msg/s, answering 429 with retry_after beyond it, and takes --latency
seconds per send. The bot runs as `unionbridge run` in its own process with its worker
configured for the same rate (and its own default cap on sends in flight, unless
--concurrency is given); a notice to every member is scheduled for "now", so the bot's minute
job releases it. Meanwhile another member keeps asking /help (--ask-every) and each reply's
delay is measured; replies draw on the same flood budget as the broadcast. The bot process's
peak resident memory is read from /proc when it stops.
Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from asyncio.subprocess import Process
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.emulator import Emulator, EmulatorServer  # noqa: E402
from storage import notices  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Member  # noqa: E402
from storage.statuses import NoticeTarget  # noqa: E402

ASKER = 42
FIRST = 1_000_000
TEXT = "关于年终职工体检安排的通知"


async def seed(url: str, emu: Emulator, recipients: int) -> None:
    db = Database(url)
    await upgrade(db)
    now = datetime.now(UTC)
    rows = [
        {"telegram_id": FIRST + index, "name": f"工友{index}", "department": "一车间",
         "language": "zh", "role": "member", "active": True, "bday_leap": False,
         "share_birthday": False, "hide_year": True, "registered_at": now, "created_at": now,
         "updated_at": now}
        for index in range(recipients)
    ]  # fmt: skip
    async with db.begin() as session:
        for start in range(0, len(rows), 5000):  # the bench seeds in bulk; the bot never does
            await session.exec(insert(Member), params=rows[start : start + 5000])
        await notices.add(
            session,
            author_telegram_id=1,
            text=TEXT,
            target=NoticeTarget.MEMBERS,
            require_ack=True,
            scheduled_at=now,
            created_at=now,
        )
    await db.dispose()
    for index in range(recipients):
        emu.user(FIRST + index, f"工友{index}")
        emu.open_private(FIRST + index)
    emu.user(ASKER, "提问的人")


async def ask_repeatedly(
    emu: Emulator, stop: asyncio.Event, samples: list[float], every: float
) -> None:
    """A member asks /help every `every` seconds; each reply's delay is one sample."""
    while not stop.is_set():
        before = len(emu.chat_messages(ASKER))
        started = time.perf_counter()
        emu.send_text(ASKER, "/help")
        async with asyncio.timeout(10):
            while len(emu.chat_messages(ASKER)) == before:
                await emu.wait_changed(0.5)
        samples.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(every)


class Deliveries:
    """Copies of the notice per chat, counted as they arrive (never recounted)."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.seen = 0
        self.copies: Counter[int] = Counter()

    def update(self) -> int:
        for message in self.emu.sent[self.seen :]:
            if TEXT in message.text:
                self.copies[message.chat_id] += 1
        self.seen = len(self.emu.sent)
        return sum(self.copies.values())


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=30, help="flood limit, messages per second")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per send")
    parser.add_argument("--database", default="", help="database URL (default: new SQLite file)")
    parser.add_argument(
        "--concurrency", type=int, default=0, help="cap on sends in flight (0: the default)"
    )
    parser.add_argument(
        "--ask-every",
        type=float,
        default=0.0,
        help="seconds between another member's /help (0: 30/rate, at least 0.25)",
    )
    args = parser.parse_args()
    # Replies share the flood budget: about one a second at 30 msg/s, four at 300.
    args.ask_every = args.ask_every or max(0.25, 30 / args.rate)
    return args


async def start_bot(
    workdir: Path, url: str, server: EmulatorServer, rate: int, concurrency: int
) -> Process:
    config = workdir / "config.toml"
    cap = f"concurrency = {concurrency}\n" if concurrency else ""
    config.write_text(
        f'[telegram]\nbase_url = "{server.base_url}"\n[database]\nurl = "{url}"\n'
        f"[limits]\noverall_per_second = {rate}\n"
        f"[delivery]\n{cap}poll_seconds = 0.2\n",
        encoding="utf-8",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=ROOT,
        env={**os.environ, "UNIONBRIDGE_TOKEN": server.emulator.token},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def measure(
    emu: Emulator, seen: Deliveries, recipients: int, rate: int, ask_every: float
) -> tuple[float, list[float]]:
    """Seconds from the first delivery to the last, and the /help reply delays meanwhile."""
    samples: list[float] = []
    stop = asyncio.Event()
    await asyncio.wait_for(emu.get_updates_seen.wait(), 60)
    asker = asyncio.create_task(ask_repeatedly(emu, stop, samples, ask_every))
    async with asyncio.timeout(recipients / rate * 4 + 120):
        while not seen.update():
            await emu.wait_changed(1)
        first = time.perf_counter()
        while seen.update() < recipients:
            await emu.wait_changed(1)
        last = time.perf_counter()
    await asyncio.sleep(2)  # anything sent twice would show up now
    seen.update()
    stop.set()
    await asker
    return last - first, samples


def peak_rss_mb(pid: int) -> float:
    """The process's high-water mark of resident memory (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    args = options()
    workdir = Path(tempfile.mkdtemp())
    url = args.database or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    emu = Emulator()
    emu.limits.overall_per_second = args.rate
    emu.latency = args.latency
    server = EmulatorServer(emu)
    await server.start()
    await seed(url, emu, args.recipients)
    bot = await start_bot(workdir, url, server, args.rate, args.concurrency)
    seen = Deliveries(emu)
    try:
        sending_s, samples = await measure(emu, seen, args.recipients, args.rate, args.ask_every)
        peak_mb = peak_rss_mb(bot.pid)
    finally:
        bot.send_signal(signal.SIGINT)
        await asyncio.wait_for(bot.wait(), 30)
        await server.stop()

    copies = seen.copies
    lost = sum(1 for index in range(args.recipients) if copies[FIRST + index] == 0)
    duplicated = sum(1 for count in copies.values() if count > 1)
    # n messages paced at `rate` span (n - 1) / rate seconds from the first to the last.
    achieved = (args.recipients - 1) / sending_s if sending_s > 0 else 0.0
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    print(f"recipients {args.recipients}, limit {args.rate} msg/s, latency {args.latency:.3f} s")
    print(f"first to last delivery {sending_s:.2f} s; bot peak RSS {peak_mb:.0f} MB")
    print(f"achieved {achieved:.1f} msg/s; lost {lost}, duplicated {duplicated}")
    print(f"429 answered by the emulator: {emu.retry_after_sent}")
    print(f"/help replies meanwhile: {len(samples)}, median {statistics.median(samples):.1f} ms")
    print(json.dumps({
        "recipients": args.recipients, "configured_rate": args.rate,
        "achieved_over_configured": round(achieved / args.rate, 3), "lost": lost,
        "duplicated": duplicated, "retry_after_received": emu.retry_after_sent,
        "p95_reply_ms_during_broadcast": round(p95, 1), "peak_rss_mb": round(peak_mb, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
