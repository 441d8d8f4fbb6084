"""The daily greeting run over a large union: select today's birthdays and festivals and
queue every greeting and digest, on a database of --members members (a third with lunar
birthdays, half sharing with their group, 20 departments with a bound group each).

Seeding happens in a child process, so the peak RSS reported is the run's own process.
Last line: one JSON object {"members", "greetings", "select_and_enqueue_s", "peak_rss_mb",
"longest_message_chars"} (Telegram refuses a message over 4,096 characters).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select as select_columns  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bot.config import Config  # noqa: E402
from bot.greetings.daily_run import daily_run  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

DEPARTMENTS = [f"车间{n:02d}" for n in range(1, 21)]
# The Monday after 中秋 (a holiday from Friday): the cadres' digest covers four days of
# birthdays and the week ahead, the heaviest kind of run.
DAY = date(2026, 9, 28)
CHUNK = 5000


def member_row(index: int, rng: random.Random, now: datetime) -> dict[str, object]:
    lunar = index % 3 == 0
    month = rng.randint(1, 12)
    day = rng.randint(1, 30 if lunar else 28)
    return {
        "telegram_id": 10_000_000 + index,
        "name": f"工友{index}",
        "department": DEPARTMENTS[index % 20],
        "bday_kind": "lunar" if lunar else "solar",
        "bday_month": month,
        "bday_day": day,
        "bday_leap": lunar and rng.random() < 0.02,
        "bday_year": rng.randint(1965, 2005),
        "share_birthday": rng.random() < 0.5,
        "hide_year": rng.random() < 0.5,
        "language": "zh",
        "role": "cadre" if index % 5000 == 0 else "member",
        "active": True,
        "registered_at": now,
        "created_at": now,
        "updated_at": now,
    }


async def seed(url: str, count: int) -> None:
    db = Database(url)
    await upgrade(db)
    rng = random.Random(2026)
    now = datetime.now(UTC)
    member = SQLModel.metadata.tables["member"]
    group = SQLModel.metadata.tables["group_chat"]
    async with db.begin() as session:
        for start in range(0, count, CHUNK):
            rows = [member_row(i, rng, now) for i in range(start, min(count, start + CHUNK))]
            await session.exec(member.insert(), params=rows)  # type: ignore[call-overload]
        await session.exec(  # type: ignore[call-overload]
            group.insert(),
            params=[
                {
                    "chat_id": -1_000_000 - n,
                    "title": f"{d}群",
                    "department": d,
                    "bot_status": "member",
                    "bound_by": 1,
                    "bound_at": now,
                    "updated_at": now,
                }
                for n, d in enumerate(DEPARTMENTS)
            ],
        )
    await db.dispose()


def _texts(value: object) -> Iterator[str]:
    """Every message text in an outbox payload, however its parts nest."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("text", "caption") and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


async def longest_message(url: str) -> int:
    db = Database(url)
    outbox = SQLModel.metadata.tables["outbox"]
    longest = 0
    async with db.read() as session:
        rows = await session.exec(select_columns(outbox.c.payload))  # type: ignore[call-overload]
        for (payload,) in rows:
            longest = max([longest, *(len(text) for text in _texts(payload))])
    await db.dispose()
    return longest


async def run(url: str, day: date) -> tuple[int, float]:
    config = Config.model_validate(
        {"database": {"url": url}, "union": {"departments": DEPARTMENTS}}
    )
    db = Database(url)
    now = datetime(day.year, day.month, day.day, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    started = time.perf_counter()
    async with db.begin() as session:
        queued = await daily_run(session, now=now, config=config, day=day)
    elapsed = time.perf_counter() - started
    await db.dispose()
    return queued, elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--database", default="", help="database URL (default: a new SQLite file)")
    parser.add_argument("--day", type=date.fromisoformat, default=DAY, help="the day to greet")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        await seed(args.database, args.members)
        return
    url = args.database or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'daily.db'}"
    seeding = time.perf_counter()
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--seed-only", "--members", str(args.members), "--database", url
    )
    if await child.wait() != 0:
        raise SystemExit("seeding failed")
    print(f"seeded {args.members} members in {time.perf_counter() - seeding:.1f} s")
    queued, elapsed = await run(url, args.day)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    longest = await longest_message(url)
    print(f"{args.day}: queued {queued} greetings and digests in {elapsed:.3f} s")
    print(f"peak RSS {peak:.1f} MB; the longest queued message has {longest} characters")
    print(
        json.dumps(
            {
                "members": args.members,
                "greetings": queued,
                "select_and_enqueue_s": round(elapsed, 3),
                "peak_rss_mb": round(peak, 1),
                "longest_message_chars": longest,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
