"""Scale-out: one `run --role updates` and N `run --role worker` processes on PostgreSQL
against the local Bot API emulator, for each N given. The emulator (in this process)
enforces the overall flood limit at --rate msg/s; the bots are configured for the same rate
and share it between the workers alive. A notice to --recipients members falls due at the
fleet's 08:00 and goes out with the morning's greetings.

Per worker count: the achieved rate over the configured one (first to last delivery), the
workers' CPU use (cores busy on average while sending), lost and duplicated recipients.
Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from bench.databases import create_database, drop_database  # noqa: E402
from bot.emulator import Emulator, EmulatorServer  # noqa: E402
from tests.e2e.fleet import (  # noqa: E402
    FIRST,
    NOTICE,
    Deliveries,
    Fleet,
    cpu_seconds,
    seed,
    write_config,
)

DEFAULT_SERVER = os.environ.get(
    "UNIONBRIDGE_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True)
class Run:
    workers: int
    achieved: float
    cpu_cores: float
    lost: int
    duplicated: int
    throttled: int


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=150, help="flood limit, messages per second")
    parser.add_argument("--latency", type=float, default=0.005, help="seconds per send")
    parser.add_argument("--concurrency", type=int, default=8, help="sends in flight per worker")
    parser.add_argument(
        "--server", default=DEFAULT_SERVER, help="PostgreSQL URL; a database is made per run"
    )
    return parser.parse_args()


async def run_once(args: argparse.Namespace, workers: int) -> Run:
    admin = make_url(args.server).render_as_string(hide_password=False)
    url = await create_database(admin, "ub_scaleout")
    emu = Emulator()
    emu.limits.overall_per_second = args.rate
    emu.latency = args.latency
    server = EmulatorServer(emu)
    await server.start()
    workdir = Path(tempfile.mkdtemp())
    try:
        await seed(url, emu, args.recipients, birthdays=0)
        config = write_config(
            workdir, server, url, rate=args.rate, concurrency=args.concurrency, lease=60
        )
        fleet = Fleet(server, config)
        seen = Deliveries(emu, NOTICE)
        try:
            await fleet.start("updates")
            processes = await fleet.start("worker", workers)
            async with asyncio.timeout(180):
                await seen.wait_for(1)
            cpu_before = sum(cpu_seconds(p.pid) for p in processes)
            started = time.perf_counter()
            async with asyncio.timeout(args.recipients / args.rate * 6 + 60):
                await seen.wait_for(args.recipients)
            cpu = sum(cpu_seconds(p.pid) for p in processes) - cpu_before
            wall = time.perf_counter() - started
            await asyncio.sleep(2)  # anything sent twice would arrive now
            seen.update()
        finally:
            await fleet.stop()
    finally:
        await server.stop()
        await drop_database(admin, url)
    chats = [FIRST + index for index in range(args.recipients)]
    return Run(
        workers=workers,
        achieved=seen.rate(),
        cpu_cores=cpu / wall if wall > 0 else 0.0,
        lost=seen.lost(chats),
        duplicated=seen.doubled(),
        throttled=emu.retry_after_sent,
    )


async def main() -> None:
    args = options()
    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    runs = []
    print(f"recipients {args.recipients}, limit {args.rate} msg/s, latency {args.latency:.3f} s")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for workers in counts:
        run = await run_once(args, workers)
        runs.append(run)
        print(
            f"{workers} worker(s): {run.achieved:.1f} msg/s = "
            f"{run.achieved / args.rate:.3f} of the limit; workers' CPU {run.cpu_cores:.2f} "
            f"cores; lost {run.lost}, duplicated {run.duplicated}, 429s {run.throttled}",
            flush=True,
        )
    print(json.dumps({
        "workers": counts,
        "achieved_over_configured": [round(r.achieved / args.rate, 3) for r in runs],
        "cpu_cores": [round(r.cpu_cores, 2) for r in runs],
        "lost": sum(r.lost for r in runs),
        "duplicated": sum(r.duplicated for r in runs),
    }))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
