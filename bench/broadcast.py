"""A broadcast to N private members through the real bot and the local Bot API emulator.

The emulator enforces Telegram's overall flood limit at --rate msg/s (answering 429 with
retry_after beyond it) and takes --latency seconds per send; the bot's worker is configured
for the same rate. While the broadcast runs, another member keeps asking /help, and the
bot's reply time is measured. Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.clock import SystemClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.emulator import Emulator, EmulatorServer  # noqa: E402
from bot.notices import release  # noqa: E402
from storage import members, notices, outbox  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

ASKER = 42
FIRST = 1_000_000
TEXT = "关于年终职工体检安排的通知"


async def seed(db: Database, emu: Emulator, recipients: int) -> None:
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
    emu.user(ASKER, "提问的人")


async def ask_repeatedly(emu: Emulator, stop: asyncio.Event, samples: list[float]) -> None:
    """A member asks /help every 100 ms; each reply's delay is one sample."""
    while not stop.is_set():
        before = len(emu.chat_messages(ASKER))
        started = time.perf_counter()
        emu.send_text(ASKER, "/help")
        async with asyncio.timeout(10):
            while len(emu.chat_messages(ASKER)) == before:
                await emu.wait_changed(0.5)
        samples.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.1)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=30, help="flood limit, messages per second")
    parser.add_argument(
        "--latency", type=float, default=0.02, help="seconds per send at the emulator"
    )
    parser.add_argument("--database", default="", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp())
    url = args.database or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    emu = Emulator()
    emu.limits.overall_per_second = args.rate
    emu.latency = args.latency
    server = EmulatorServer(emu)
    await server.start()
    concurrency = max(8, min(128, int(args.rate * args.latency * 3) + 4))
    config = Config.model_validate(
        {
            "telegram": {"token": emu.token, "base_url": server.base_url},
            "database": {"url": url},
            "limits": {"overall_per_second": args.rate},
            "delivery": {"concurrency": concurrency, "poll_seconds": 0.2},
        }
    )
    db = Database(url)
    await upgrade(db)
    await seed(db, emu, args.recipients)
    app = build_application(config, db=db, clock=SystemClock())
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)

    samples: list[float] = []
    stop = asyncio.Event()
    asker = asyncio.create_task(ask_repeatedly(emu, stop, samples))
    started = time.perf_counter()
    async with db.begin() as session:
        notice = await notices.add(
            session,
            author_telegram_id=1,
            text=TEXT,
            target="members",
            require_ack=True,
            scheduled_at=datetime.now(UTC),
            created_at=datetime.now(UTC),
        )
        await release(
            session,
            notice,
            now=datetime.now(UTC),
            zone=ZoneInfo("Asia/Shanghai"),
            union="工会",
            group_lang="zh",
        )
    app.deps.delivery.wake()
    enqueued = time.perf_counter()
    first_sent: float | None = None
    while True:
        delivered = sum(1 for m in emu.sent if TEXT in m.text)
        if delivered and first_sent is None:
            first_sent = time.perf_counter()
        async with db.read() as session:
            if await outbox.count_open(session) == 0:
                break
        await asyncio.sleep(0.2)
    finished = time.perf_counter()
    stop.set()
    await asker
    worker = app.deps.delivery.worker
    retry_after = worker.retry_after_received if worker else 0
    await app.updater.stop()
    await app.stop()
    assert app.post_stop is not None
    await app.post_stop(app)
    await app.shutdown()
    await server.stop()

    copies = Counter(m.chat_id for m in emu.sent if TEXT in m.text)
    lost = sum(1 for index in range(args.recipients) if copies[FIRST + index] == 0)
    duplicated = sum(1 for count in copies.values() if count > 1)
    sending_s = finished - (first_sent or enqueued)
    achieved = args.recipients / sending_s if sending_s > 0 else 0.0
    p95 = (
        statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples, default=0.0)
    )
    print(
        f"recipients {args.recipients}, configured {args.rate} msg/s, worker concurrency {concurrency}"
    )
    print(
        f"enqueue (release) {enqueued - started:.2f} s; sending {sending_s:.2f} s; achieved {achieved:.1f} msg/s"
    )
    print(f"lost {lost}, duplicated {duplicated}, 429 received {retry_after}")
    print(
        f"/help replies during the broadcast: {len(samples)}, median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms"
    )
    print(
        json.dumps(
            {
                "recipients": args.recipients,
                "configured_rate": args.rate,
                "achieved_over_configured": round(achieved / args.rate, 3),
                "lost": lost,
                "duplicated": duplicated,
                "retry_after_received": retry_after,
                "p95_reply_ms_during_broadcast": round(p95, 1),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
