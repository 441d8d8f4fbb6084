"""How long a notice's reach takes to work out: the preview (who it reaches, by which way,
whom it misses, rendered), the release (audience, missed and private copies written) and the
receipts (recorded reach, confirmations, rendered), for a union of 5,000 members in 20
departments, six of them without a bound group, one in ten only on the roster and one in
fifty having blocked the bot — on SQLite and on PostgreSQL.

    python bench/notice_reach.py [--members 5000] [--departments 20] [--runs 7]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

PostgreSQL is skipped (null) when the server does not answer. The last line is JSON:
{"members": n, "departments": n, "sqlite": {step: ms}, "pg": {step: ms} | null}, each step's
median over the runs (a release is timed once per notice, each a fresh one)."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import drop_database, optional_database
from bot.notices.audience import reach
from bot.notices.form import NoticeDraft
from bot.notices.reach_view import reach_text
from bot.notices.receipts import receipt_view, receipts
from bot.notices.release import release
from bot.notices.schedule import as_notice
from storage import groups, notices
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member, Notice
from storage.statuses import NoticeTarget

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Shanghai")
AUTHOR = 10_000
WITHOUT_GROUP = 6


async def seed(db: Database, people: int, departments: list[str]) -> None:
    async with db.begin() as session:
        session.add_all(
            Member(
                name=f"工友{index}",
                department=departments[index % len(departments)],
                telegram_id=AUTHOR + index,
                active=index % 50 != 3,
                unreachable=None if index % 50 != 3 else "blocked",
                registered_at=None if index % 10 == 9 else NOW,
                created_at=NOW,
                updated_at=NOW,
            )
            for index in range(people)
        )
        for number, department in enumerate(departments[WITHOUT_GROUP:]):
            group = await groups.record(
                session, chat_id=-1000 - number, title=department + "群", bot_status="member",
                now=NOW,
            )  # fmt: skip
            await groups.bind(session, group, department=department, by=AUTHOR, now=NOW)


def _draft() -> Notice:
    draft = NoticeDraft(text="本周六上午八点全厂消防演练，请按路线图撤离。", ack=True,
                        target=NoticeTarget.GROUPS)  # fmt: skip
    return as_notice(draft, author=AUTHOR, now=NOW)


async def _timed(step: Callable[[], Awaitable[object]], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        await step()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


async def measure(url: str, *, people: int, departments: int, runs: int) -> dict[str, float]:
    db = Database(url)
    await upgrade(db)
    names = [f"部门{number:02d}" for number in range(departments)]
    await seed(db, people, names)
    results: dict[str, float] = {}
    try:

        async def preview() -> object:
            async with db.read() as session:
                found = await reach(session, _draft(), private_when_no_group=True)
            return reach_text(found, "zh", to_groups=True)

        released: list[Notice] = []

        async def send() -> object:
            async with db.begin() as session:
                notice = _draft()
                await notices.save(session, notice)
                found = await release(
                    session, notice, now=NOW, zone=ZONE, union="工会", group_lang="zh"
                )
            released.append(notice)
            return found

        async def board() -> object:
            async with db.read() as session:
                receipt = await receipts(session, released[0])
            return receipt_view(released[0], receipt, "zh", ZONE)

        results["preview_ms"] = await _timed(preview, runs)
        results["release_ms"] = await _timed(send, max(3, runs // 2))
        async with db.begin() as session:
            assert released[0].id is not None
            for member_id in range(1, people, 2):
                await notices.confirm(
                    session, notice_id=released[0].id, member_id=member_id, now=NOW
                )
        results["receipts_ms"] = await _timed(board, runs)
        async with db.read() as session:
            found = await reach(session, _draft(), private_when_no_group=True)
        print(
            f"  {people} people: {found.by_group} by group, {found.privately} privately, "
            f"{found.missed} missed, {len(found.groups)} groups",
            flush=True,
        )
        for step, ms in results.items():
            print(f"  {step:<12} {ms:8.1f}", flush=True)
    finally:
        await db.dispose()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    sizes = {"people": args.members, "departments": args.departments, "runs": args.runs}
    print("SQLite", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await measure(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", **sizes)
    pg: dict[str, float] | None = None
    url = await optional_database(args.postgres, "ub_bench_reach")
    if url is not None:
        print("PostgreSQL", flush=True)
        try:
            pg = await measure(url, **sizes)
        finally:
            await drop_database(args.postgres, url)
    print(json.dumps({"members": args.members, "departments": args.departments,
                      "sqlite": sqlite, "pg": pg}))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
