"""A broadcast to N private members: the real bot process against the local Bot API emulator.

The emulator (in this process, as Telegram would be on its own machines) enforces the overall
flood limit at --rate msg/s, answering 429 with retry_after beyond it, and takes --latency
seconds per send. The bot runs as `unionbridge run` in its own process with its worker
configured for the same rate; a notice to every member is scheduled for "now", so the bot's
minute job releases it. Meanwhile another member keeps asking /help (--ask-every) and each
reply's delay is measured; replies draw on the same flood budget as the broadcast.
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

from bot.emulator import Emulator, EmulatorServer  # noqa: E402
from storage import members, notices  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

ASKER = 42
FIRST = 1_000_000
TEXT = "关于年终职工体检安排的通知"


async def seed(url: str, emu: Emulator, recipients: int) -> None:
    db = Database(url)
    await upgrade(db)
    now = datetime.now(UTC)
    async with db.begin() as session:
        for index in range(recipients):
            telegram_id = FIRST + index
            member = await members.add(
                session, now=now, telegram_id=telegram_id, name=f"工友{index}", department="一车间"
            )
            await members.mark_registered(session, member, now=now)
            emu.user(telegram_id, f"工友{index}")
            emu.open_private(telegram_id)
        await notices.add(
            session,
            author_telegram_id=1,
            text=TEXT,
            target="members",
            require_ack=True,
            scheduled_at=now,
            created_at=now,
        )
    await db.dispose()
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


def delivered(emu: Emulator) -> Counter[int]:
    return Counter(m.chat_id for m in emu.sent if TEXT in m.text)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=30, help="flood limit, messages per second")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per send")
    parser.add_argument("--database", default="", help="database URL (default: new SQLite file)")
    parser.add_argument("--concurrency", type=int, default=0, help="sends in flight (0: derived)")
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
    config.write_text(
        f'[telegram]\nbase_url = "{server.base_url}"\n[database]\nurl = "{url}"\n'
        f"[limits]\noverall_per_second = {rate}\n"
        f"[delivery]\nconcurrency = {concurrency}\npoll_seconds = 0.2\n",
        encoding="utf-8",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=ROOT,
        env={**os.environ, "UNIONBRIDGE_TOKEN": server.emulator.token},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def measure(
    emu: Emulator, recipients: int, rate: int, ask_every: float
) -> tuple[float, list[float]]:
    """Seconds from the first delivery to the last, and the /help reply delays meanwhile."""
    samples: list[float] = []
    stop = asyncio.Event()
    await asyncio.wait_for(emu.get_updates_seen.wait(), 60)
    asker = asyncio.create_task(ask_repeatedly(emu, stop, samples, ask_every))
    async with asyncio.timeout(recipients / rate * 4 + 60):
        while not delivered(emu):
            await emu.wait_changed(1)
        first = time.perf_counter()
        while sum(delivered(emu).values()) < recipients:
            await emu.wait_changed(1)
        last = time.perf_counter()
    await asyncio.sleep(2)  # anything sent twice would show up now
    stop.set()
    await asker
    return last - first, samples


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
    # Enough sends in flight to fill the rate across the round trip, with room to spare.
    concurrency = args.concurrency or max(8, min(128, int(args.rate * args.latency * 3) + 4))
    bot = await start_bot(workdir, url, server, args.rate, concurrency)
    try:
        sending_s, samples = await measure(emu, args.recipients, args.rate, args.ask_every)
    finally:
        bot.send_signal(signal.SIGINT)
        await asyncio.wait_for(bot.wait(), 30)
        await server.stop()

    copies = delivered(emu)
    lost = sum(1 for index in range(args.recipients) if copies[FIRST + index] == 0)
    duplicated = sum(1 for count in copies.values() if count > 1)
    # n messages paced at `rate` span (n - 1) / rate seconds from the first to the last.
    achieved = (args.recipients - 1) / sending_s if sending_s > 0 else 0.0
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    print(f"recipients {args.recipients}, limit {args.rate} msg/s, latency {args.latency:.3f} s")
    print(f"worker concurrency {concurrency}; first to last delivery {sending_s:.2f} s")
    print(f"achieved {achieved:.1f} msg/s; lost {lost}, duplicated {duplicated}")
    print(f"429 answered by the emulator: {emu.retry_after_sent}")
    print(f"/help replies meanwhile: {len(samples)}, median {statistics.median(samples):.1f} ms")
    print(json.dumps({
        "recipients": args.recipients, "configured_rate": args.rate,
        "achieved_over_configured": round(achieved / args.rate, 3), "lost": lost,
        "duplicated": duplicated, "retry_after_received": emu.retry_after_sent,
        "p95_reply_ms_during_broadcast": round(p95, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
