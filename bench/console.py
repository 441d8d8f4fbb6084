"""How fast the console's pages answer: p95 of each page's API call over real HTTP, with a
union of 2,000 members and 500 cases (plus notices with their audiences and confirmations,
activities with sign-ups, votes and care visits), on SQLite and on PostgreSQL.

    python bench/console.py [--members 2000] [--cases 500] [--requests 40]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

PostgreSQL is skipped (null) when the server does not answer. The last line is JSON:
{"pages": [...], "p95_ms_sqlite": {page: ms}, "p95_ms_pg": {page: ms} | null}.
A chart's SVG is timed too (it is fetched by the page after the dashboard's numbers)."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import drop_database, optional_database
from bot.clock import ManualClock
from bot.config import Config
from bot.console.auth import sign_init_data
from bot.console.routes import ConsoleServer
from bot.delivery.limiter import FloodLimiter
from bot.delivery.runtime import DeliveryRuntime
from bot.deps import Deps
from bot.notices.form import NoticeDraft
from bot.notices.release import release
from bot.notices.schedule import as_notice
from storage import activities, cases, groups, members, notices, visits, votes
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Signup
from storage.statuses import (
    CaseActor,
    CaseEntryAction,
    CaseKind,
    CaseStatus,
    NoticeTarget,
    SignupState,
    StoredRole,
    VisitStatus,
)

TOKEN = "7000000001:BENCH-token"
ADMIN = 100
DEPARTMENTS = ["一车间", "二车间", "三车间", "质检部", "后勤部"]
CATEGORIES = ["工资待遇", "工时加班", "安全生产", "合同与解雇", "社会保险", "食堂宿舍设施"]
STATUSES = [CaseStatus.SUBMITTED, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS,
            CaseStatus.ESCALATED, CaseStatus.RESOLVED, CaseStatus.CLOSED]  # fmt: skip
PAGES = {
    "me": "/me",
    "dashboard": "/dashboard",
    "roster": "/roster",
    "roster_search": "/roster?q=工友1&department=一车间",
    "member": "/roster/5",
    "notices": "/notices",
    "receipts": "/notices/1/receipts",
    "cases": "/cases",
    "case": "/cases/7",
    "activities": "/activities",
    "activity_roster": "/activities/1/roster",
    "care": "/care",
    "chart_svg": "/dashboard/chart/members",
}
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Shanghai")


def config(url: str) -> Config:
    return Config.model_validate(
        {
            "telegram": {"token": TOKEN},
            "database": {"url": url},
            "union": {"departments": DEPARTMENTS, "admins": [ADMIN]},
            "cases": {"categories": CATEGORIES},
            "console": {"enabled": True, "port": 0, "public_url": "https://x.example/console/"},
        }
    )


async def seed_people(db: Database, count: int) -> None:
    async with db.begin() as session:
        for index in range(count):
            member = await members.add(
                session,
                now=NOW,
                name=f"工友{index}",
                department=DEPARTMENTS[index % len(DEPARTMENTS)],
                telegram_id=ADMIN if index == 0 else 10_000 + index,
                phone=f"1380000{index:04d}",
            )
            if index % 10 != 9:  # one in ten only on the roster
                await members.mark_registered(session, member, now=NOW)
            if index == 1:
                await members.set_role(
                    session, member, role=StoredRole.CADRE, actor_telegram_id=ADMIN, now=NOW
                )
        for number, department in enumerate(DEPARTMENTS[:3]):
            group = await groups.record(
                session, chat_id=-1000 - number, title=department + "群", bot_status="member",
                now=NOW,
            )  # fmt: skip
            await groups.bind(session, group, department=department, by=ADMIN, now=NOW)


async def seed_cases(db: Database, count: int, people: int) -> None:
    """Cases reported by members 3.. (1 is the admin, 2 the cadre who answers them)."""
    reporters = min(1500, people - 2)
    async with db.begin() as session:
        for index in range(count):
            opened = NOW - timedelta(hours=index % 300)
            case = await cases.add(
                session,
                code=f"B{index:05d}",
                kind=CaseKind.GRIEVANCE if index % 7 else CaseKind.LIFE_EVENT,
                category=CATEGORIES[index % len(CATEGORIES)] if index % 7 else "illness",
                department=DEPARTMENTS[index % len(DEPARTMENTS)],
                text=f"第 {index} 件：夜班加班费没有按规定计算。" * 3,
                anonymous=index % 3 == 0,
                reporter_member_id=3 + index % reporters,
                assignee_member_id=2 if index % 2 else None,
                status=STATUSES[index % len(STATUSES)],
                created_at=opened,
                ack_due=opened + timedelta(days=1),
                resolve_due=opened + timedelta(days=7),
            )
            assert case.id is not None
            for step in range(3):
                await cases.add_entry(
                    session, case_id=case.id, actor=CaseActor.CADRE, action=CaseEntryAction.REPLY,
                    at=opened + timedelta(minutes=step), text="已转人力资源部核实。",
                    cadre_member_id=2,
                )  # fmt: skip
            if index % 7 == 0 and index < 140:
                await visits.add(
                    session, case_id=case.id, cadre_member_id=2, amount=300 + index * 5,
                    note="慰问", at=NOW,
                    status=VisitStatus.PENDING if index % 2 else VisitStatus.RECORDED,
                )  # fmt: skip


async def seed_notices_and_more(db: Database, people: int) -> None:
    async with db.begin() as session:
        for number in range(5):
            draft = NoticeDraft(text=f"第 {number} 号通知：本周安全检查。", ack=True,
                                target=NoticeTarget.GROUPS)  # fmt: skip
            notice = as_notice(draft, author=ADMIN, now=NOW - timedelta(days=number))
            await notices.save(session, notice)
            await release(session, notice, now=NOW - timedelta(days=number), zone=ZONE,
                          union="工会", group_lang="zh")  # fmt: skip
            assert notice.id is not None
            for member_id in range(1, people, 2):
                await notices.confirm(session, notice_id=notice.id, member_id=member_id, now=NOW)
        for number in range(10):
            starts = NOW + timedelta(days=number - 2)
            activity = await activities.add(
                session, title=f"活动 {number}", place="活动中心", starts_at=starts,
                ends_at=starts + timedelta(hours=2), deadline=starts, capacity=40,
                created_by=ADMIN, created_at=NOW,
            )  # fmt: skip
            for offset in range(min(30, people)):  # thirty different members each
                await activities.save(session, Signup(
                    activity_id=activity.id or 0, member_id=1 + (number * 30 + offset) % people,
                    state=SignupState.CONFIRMED, created_at=NOW,
                    checked_in_at=starts if offset % 2 else None,
                ))  # fmt: skip
        for number in range(3):
            await votes.add(
                session, question=f"投票 {number}", options=["是", "否"],
                opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=number - 1),
                created_by=ADMIN, created_at=NOW,
            )  # fmt: skip


async def measure(url: str, *, people: int, case_count: int, requests: int) -> dict[str, float]:
    db = Database(url)
    await upgrade(db)
    print(
        f"seeding {url.split('://', maxsplit=1)[0]}: {people} members, {case_count} cases …",
        flush=True,
    )
    await seed_people(db, people)
    await seed_cases(db, case_count, people)
    await seed_notices_and_more(db, people)
    settings = config(url)
    deps = Deps(
        settings,
        db,
        ManualClock(NOW),
        DeliveryRuntime(
            FloodLimiter(overall_per_second=30, private_per_second=1, group_per_minute=20)
        ),
    )
    server = ConsoleServer(deps)
    await server.start()
    person = json.dumps({"id": ADMIN, "first_name": "主席"})
    results: dict[str, float] = {}
    try:
        async with aiohttp.ClientSession() as http:
            for page, path in PAGES.items():
                timings = []
                for attempt in range(requests + 3):
                    signed = sign_init_data(
                        {"auth_date": str(int(time.time())), "user": person}, TOKEN
                    )
                    started = time.perf_counter()
                    async with http.get(
                        f"http://127.0.0.1:{server.port}/console/api{path}",
                        headers={"Authorization": "tma " + signed},
                    ) as reply:
                        await reply.read()
                        assert reply.status == 200, (page, reply.status)
                    if attempt >= 3:  # the first calls warm the caches and the imports
                        timings.append((time.perf_counter() - started) * 1000)
                results[page] = round(statistics.quantiles(timings, n=20)[18], 1)
                median = statistics.median(timings)
                print(f"  {page:<16} p50 {median:7.1f} ms  p95 {results[page]:7.1f} ms", flush=True)
    finally:
        await server.stop()
        await db.dispose()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    if args.members < 3:
        parser.error("--members: at least 3 (an admin, a cadre and someone reporting)")
    sizes = {"people": args.members, "case_count": args.cases, "requests": args.requests}
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await measure(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", **sizes)
    pg: dict[str, float] | None = None
    url = await optional_database(args.postgres, "ub_bench_console")
    if url is not None:
        try:
            pg = await measure(url, **sizes)
        finally:
            await drop_database(args.postgres, url)
    print(json.dumps({"pages": list(PAGES), "p95_ms_sqlite": sqlite, "p95_ms_pg": pg},
                     ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
