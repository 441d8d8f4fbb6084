"""The soak: a compressed day of mixed traffic against the bot as a real process, the emulator
injecting 429s, 5xx, timeouts and slow answers at random (bot/emulator/chaos.py). Members (a
tenth registering during the run) run errands — /help, /me, /ask and its 👍, sign-ups,
reports, 收到 on notices, ballots — paced to --rate, while a cadre sends notices (with
reminders), starts a vote and answers cases. After a warm-up the run pauses until idle for
the baseline; at the end it waits (bounded) for the outbox to drain and reads /metrics.
Last line: {"updates", "duration_s", "rss_growth_pct", "p95_reply_ms", "lost", "duplicated",
"leaked_tasks"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bench import soak_traffic as traffic  # noqa: E402
from bench.databases import create_database, drop_database  # noqa: E402
from bench.seeding import seed_members_and_activities  # noqa: E402
from bot.emulator import Chaos, ChaosRates, Emulator, EmulatorServer  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Case, Member  # noqa: E402

FIRST = 4_000_000
ADMIN = 3_999_999
DRAIN_SECONDS = 240.0
CLIENT_TIMEOUT = 10.0  # the bot's reply requests; its outbox sends are set to 5 s below
REMIND_TIMES = 2


@dataclass
class SoakOptions:
    updates: int = 50_000
    members: int = 2_000
    db_url: str = ""  # empty: a SQLite file in the work directory
    in_flight: int = 200  # members busy at once (at most a quarter of them)
    rate: float = 50.0  # updates a second offered at most (0: as fast as answers come)
    seed: int = 17
    chaos: bool = True
    reading: tuple[float, float] = traffic.READING  # a member's pause between answer and next step


@dataclass
class Probe:
    """What the driver reads of the bot process: RSS samples and its /metrics."""

    pid: int
    metrics_url: str
    rss: list[tuple[int, int]] = field(default_factory=list)  # (updates so far, kB)

    def sample(self, updates: int) -> None:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                self.rss.append((updates, int(line.split()[1])))

    async def gauges(self) -> tuple[int, int]:
        """(asyncio tasks, pool checkouts) at rest: the least of scrapes over five seconds (a
        minute tick that happens to be running is not a leak; what stays throughout is)."""
        tasks, checked = [], []
        async with aiohttp.ClientSession() as session:
            for _ in range(6):
                async with session.get(self.metrics_url) as reply:
                    text = await reply.text()
                tasks.append(_gauge(text, "unionbridge_asyncio_tasks"))
                checked.append(_gauge(text, "unionbridge_db_connections_checked_out"))
                await asyncio.sleep(1.0)
        return min(tasks), min(checked)

    def curve_mb(self, total: int, points: int = 10) -> list[float]:
        """RSS at each tenth of the run: a leak climbs steadily, a cache or pool filling up
        climbs and levels off."""
        curve = []
        for step in range(1, points + 1):
            upto = [kb for done, kb in self.rss if done <= total * step / points]
            if upto:
                curve.append(round(upto[-1] / 1024, 1))
        return curve

    def growth_pct(self, total: int) -> float:
        """RSS growth over the last half of the run: the end against the middle."""
        mid = [kb for done, kb in self.rss if abs(done - total / 2) <= total * 0.05]
        end = [kb for _, kb in self.rss[-5:]]
        if not mid or not end:
            return 0.0
        middle = sorted(mid)[len(mid) // 2]
        return round(100 * (max(end) - middle) / middle, 2)


def _gauge(text: str, name: str) -> int:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise RuntimeError(f"{name} missing from /metrics")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def seed(url: str, members: int) -> tuple[list[int], list[int]]:
    """Registered members and those still to register; three open activities."""
    registered = [FIRST + i for i in range(members - members // 10)]
    await seed_members_and_activities(
        url, registered, lambda tid: traffic.DEPARTMENTS[tid % 5], first=FIRST, capacity=100_000
    )
    return registered, [FIRST + i for i in range(len(registered), members)]


def config_text(server: EmulatorServer, url: str, ops_port: int) -> str:
    return f"""[telegram]
base_url = "{server.base_url}"
[database]
url = "{url}"
[union]
departments = {json.dumps(traffic.DEPARTMENTS, ensure_ascii=False)}
admins = [{ADMIN}]
[limits]
overall_per_second = 1000
group_per_minute = 100000
[delivery]
send_timeout_seconds = 5.0
poll_seconds = 0.2
[notices]
remind_after_minutes = 5
remind_times = {REMIND_TIMES}
[ops]
port = {ops_port}
[console]
enabled = false
"""


def chaos_rates() -> ChaosRates:
    """A bad day: about one request in a hundred and fifty fails, one in a hundred is slow."""
    return ChaosRates(
        throttle=0.003, server_error=0.003, timeout=0.0005, slow=0.01,
        retry_after=1, hold_seconds=CLIENT_TIMEOUT + 1.0, slow_seconds=0.2,
    )  # fmt: skip


class Soak:
    def __init__(self, options: SoakOptions, server: EmulatorServer, db: Database) -> None:
        self.options, self.server, self.db = options, server, db
        self.emu: Emulator = server.emulator
        self.ledger = traffic.Ledger()
        self.rng = random.Random(options.seed)
        pacer = traffic.Pacer(options.rate)
        self.members = traffic.Actor(
            self.emu, self.ledger, options.updates, reading=options.reading, pacer=pacer
        )
        self.cadre = traffic.Actor(
            self.emu, self.ledger, options.updates, marked=False, reading=(0.3, 0.6)
        )
        self.idle: list[int] = []
        self.to_register: list[int] = []
        self.missed: list[str] = []  # broadcasts lost or doubled: what, to whom, how often
        self.tried: set[int] = set()  # cases the cadre set out to answer
        self.replied: set[int] = set()  # … and did: their reply must reach the reporter
        self.notices: list[str] = []  # the tag of each notice the cadre sent
        self.votes = 0

    async def traffic(self, until: int) -> None:
        """Members' errands and the cadre's work until `until` updates were sent."""
        self.members.budget = self.cadre.budget = until
        members = min(self.options.in_flight, len(self.idle) // 4)
        await asyncio.gather(self._cadre(until), *(self._member_loop() for _ in range(members)))

    async def _member_loop(self) -> None:
        while not self.members.exhausted:
            if self.to_register and self.rng.random() < 0.1:
                user = self.to_register.pop()
                steps = traffic.registration(f"新工友{user - FIRST}", traffic.DEPARTMENTS[user % 5])
                await self.members.journey(user, steps)
                continue
            user = self.idle.pop(self.rng.randrange(len(self.idle)))
            _, steps, broadcasts = traffic.member_journey(self.rng)
            await self.members.journey(user, steps, broadcasts=broadcasts)
            self.idle.insert(0, user)

    async def _cadre(self, until: int) -> None:
        total = self.options.updates
        plan = [(0.12, "notice"), (0.15, "vote"), (0.4, "notice"), (0.7, "notice")]
        while not self.cadre.exhausted:
            done = self.ledger.updates
            while plan and done >= plan[0][0] * total:
                _, what = plan.pop(0)
                if what == "notice":
                    number = len(self.notices) + 1
                    if await self.cadre.journey(ADMIN, traffic.notice_steps(number)):
                        self.notices.append(f"第{number}号通知")
                elif await self.cadre.journey(ADMIN, traffic.vote_steps()):
                    self.votes += 1
            async with self.db.read() as session:
                ids = (await session.exec(select(col(Case.id)).order_by(col(Case.id).desc()))).all()
            waiting = [i for i in ids if i is not None and i not in self.tried]
            if waiting:  # the newest first: it is on the first page of /cases
                self.tried.add(waiting[0])
                if await self.cadre.journey(ADMIN, traffic.case_reply_steps(waiting[0])):
                    self.replied.add(waiting[0])
            else:
                await asyncio.sleep(0.5)

    async def drained(self, seconds: float) -> bool:
        """Wait (at most `seconds`) until no outbox row is due and the emulator is quiet."""
        deadline = time.perf_counter() + seconds
        quiet_since = time.perf_counter()
        count = len(self.emu.sent)
        while time.perf_counter() < deadline:
            await self.emu.wait_changed(0.5)
            if len(self.emu.sent) != count:
                count, quiet_since = len(self.emu.sent), time.perf_counter()
                continue
            async with self.db.read() as session:
                due = await outbox.count_open(session, due_by=datetime.now(UTC))
            if due == 0 and time.perf_counter() - quiet_since > 2.0:
                return True
        return False

    async def judge_broadcasts(self, registered: list[int]) -> dict[str, int]:
        """Each notice and ballot once to every member registered from the start, at most
        REMIND_TIMES reminders of a notice each, each case reply once to its reporter."""
        lost = duplicated = reminders = 0
        expected = list(self.notices)
        if self.votes:
            expected.append("是否同意调整夏季作息时间")
        for user in registered:
            marked = [m.text for m in self.emu.chat_messages(user) if traffic.MARK in m.text]
            for tag in expected:
                first = sum(tag in text and traffic.REMINDER not in text for text in marked)
                again = sum(tag in text and traffic.REMINDER in text for text in marked)
                reminders += again
                lost += first == 0
                duplicated += max(0, first - 1) + max(0, again - REMIND_TIMES)
                if first != 1:
                    self.missed.append(f"{tag}→{user}×{first}")
        async with self.db.read() as session:
            rows = (
                await session.exec(
                    select(col(Case.id), col(Member.telegram_id)).join(
                        Member, col(Member.id) == col(Case.reporter_member_id)
                    )
                )
            ).all()
        for case_id, telegram_id in rows:
            if case_id not in self.replied or telegram_id is None:
                continue
            tag = f"回复#{case_id}："
            got = sum(tag in m.text for m in self.emu.chat_messages(telegram_id))
            lost += got == 0
            duplicated += max(0, got - 1)
            if got != 1:
                self.missed.append(f"{tag}→{telegram_id}×{got}")
        return {"lost": lost, "duplicated": duplicated, "reminders": reminders}


async def run(options: SoakOptions) -> dict[str, object]:
    """One soak; returns its figures (the keys of the last line, and more)."""
    workdir = Path(tempfile.mkdtemp(prefix="ub-soak-"))
    url, pg_url = options.db_url, ""
    if url.startswith("postgresql"):
        url = pg_url = await create_database(options.db_url)
    elif not url:
        url = f"sqlite+aiosqlite:///{workdir / 'soak.db'}"
    registered, newcomers = await seed(url, options.members)
    server = EmulatorServer(Emulator())
    await server.start()
    emu = server.emulator
    for user in [*registered, *newcomers, ADMIN]:
        emu.user(user, f"工友{user - FIRST}")
    for user in [*registered, ADMIN]:
        emu.open_private(user)
    ops_port = free_port()
    config = workdir / "soak.toml"
    config.write_text(config_text(server, url, ops_port), encoding="utf-8")
    log = (workdir / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=ROOT,
        env={**os.environ, "UNIONBRIDGE_TOKEN": emu.token}, stdout=log, stderr=log,
    )  # fmt: skip
    db = Database(url)
    try:
        await asyncio.wait_for(emu.get_updates_seen.wait(), 90)
        soak = Soak(options, server, db)
        soak.idle, soak.to_register = list(registered), list(newcomers)
        return await _measure(soak, process.pid, ops_port, registered)
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 60)
        log.close()
        await server.stop()
        await db.dispose()
        if pg_url:
            await drop_database(options.db_url, pg_url)
        print(f"bot log: {workdir / 'bot.log'}", file=sys.stderr)


async def _measure(soak: Soak, pid: int, ops_port: int, registered: list[int]) -> dict[str, object]:
    options, ledger = soak.options, soak.ledger
    probe = Probe(pid, f"http://127.0.0.1:{ops_port}/metrics")

    async def sample() -> None:
        while True:
            probe.sample(ledger.updates)
            await asyncio.sleep(1.0)

    sampler = asyncio.get_running_loop().create_task(sample())
    started = time.perf_counter()
    try:
        await soak.traffic(options.updates // 10)  # warm-up
        warm_drained = await soak.drained(DRAIN_SECONDS)
        base_tasks, _ = await probe.gauges()
        ledger.latencies.clear()  # start-up and warm-up are not the day's figures
        soak.emu.chaos = Chaos(chaos_rates(), seed=options.seed, enabled=options.chaos)
        await soak.traffic(options.updates)
        duration = time.perf_counter() - started
        soak.emu.chaos.enabled = False  # the drain and the count at rest see a calm Telegram
        drained = warm_drained and await soak.drained(DRAIN_SECONDS)
        probe.sample(ledger.updates)
        end_tasks, checked_out = await probe.gauges()
    finally:
        sampler.cancel()
    broadcasts = await soak.judge_broadcasts(registered)
    windows = ledger.window_p95(10)
    faults = dict(soak.emu.chaos.counts) if soak.emu.chaos else {}
    return {
        "updates": ledger.updates, "duration_s": round(duration, 1),
        "rss_growth_pct": probe.growth_pct(ledger.updates),
        "p95_reply_ms": round(max(windows, default=0.0), 1),
        "lost": ledger.lost + broadcasts["lost"],
        "duplicated": ledger.duplicated + broadcasts["duplicated"],
        "leaked_tasks": max(0, end_tasks - base_tasks),
        "db_checked_out": checked_out, "outbox_drained": drained,
        "p95_windows_ms": [round(ms, 1) for ms in windows], "faults": faults,
        "reminders": broadcasts["reminders"], "notices": len(soak.notices),
        "cases_answered": len(soak.replied), "rss_kb_end": probe.rss[-1][1] if probe.rss else 0,
        "rss_mb_by_tenth": probe.curve_mb(ledger.updates),
        "lost_steps": ledger.lost_steps[:10] + soak.missed[:10], "skipped_presses": ledger.skipped,
    }  # fmt: skip


LAST_LINE = ("updates", "duration_s", "rss_growth_pct", "p95_reply_ms", "lost", "duplicated",
             "leaked_tasks")  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=50_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--in-flight", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0, help="updates a second at most")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("UNIONBRIDGE_TEST_DATABASE_URL", ""),
        help="admin URL for --db pg, e.g. postgresql+asyncpg://postgres@127.0.0.1/test",
    )
    args = parser.parse_args()
    if args.db == "pg" and not args.pg_url:
        parser.error("--db pg needs --pg-url or UNIONBRIDGE_TEST_DATABASE_URL")
    options = SoakOptions(
        updates=args.updates, members=args.members, in_flight=args.in_flight, rate=args.rate,
        db_url=args.pg_url if args.db == "pg" else "",
    )  # fmt: skip
    figures = await run(options)
    for key, value in figures.items():
        if key not in LAST_LINE:
            print(f"{key:18} {value}")
    print(json.dumps({key: figures[key] for key in LAST_LINE}))


if __name__ == "__main__":
    asyncio.run(main())
