"""Interactive throughput: Union Bridge against a bare python-telegram-bot, side by side.

Each contender is a real process polling its own local Bot API emulator (served from this
process, adding no latency and no flood limit): a bare PTB echo bot (bench/bare_bot.py),
Union Bridge on SQLite and, when --postgres is given, Union Bridge on PostgreSQL. 200
registered members keep 50 updates in flight — /help, /me, /ask 加班费怎么算, /activities and a
press of 👍 under an earlier answer — each member waiting for the bot's answer before the next.
Windows of --window seconds take turns (bare, SQLite, PostgreSQL, bare, …) --rounds times, so
the machine's mood affects all alike; each figure is the median over rounds.
Last line: {"bare_ups", "bot_ups", "ratio", "bot_p95_ms", "bot_pg_ups", "ratio_pg", …}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from asyncio.subprocess import Process
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.databases import create_database, drop_database  # noqa: E402
from bench.seeding import seed_members_and_activities  # noqa: E402
from bot.emulator import Emulator, EmulatorServer, SentMessage  # noqa: E402
from bot.strings import t  # noqa: E402

FIRST = 3_000_000
MEMBERS = 200
IN_FLIGHT = 50
ACTIONS = ("/help", "/me", "/ask 加班费怎么算", "/activities", "press")


@dataclass
class Window:
    completed: int = 0
    latencies: list[float] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def ups(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Contender:
    """One bot process, its emulator and its members."""

    def __init__(self, name: str, server: EmulatorServer, process: Process) -> None:
        self.name, self.server, self.process = name, server, process
        self.emu = server.emulator
        self.users = [FIRST + index for index in range(MEMBERS)]
        self.pressable: dict[int, SentMessage] = {}

    def _answered(self, user: int, before: int, query: str | None) -> bool:
        if query is not None:
            return bool(self.emu.callback_answers.get(query))
        return len(self.emu.chat_messages(user)) > before

    def _start(self, user: int, action: str) -> tuple[int, str | None]:
        before = len(self.emu.chat_messages(user))
        message = self.pressable.get(user)
        if action == "press" and message is not None and message.buttons():
            data = message.buttons()[0][1]
            update = self.emu.press(user, message, data)
            return before, update["callback_query"]["id"]
        self.emu.send_text(user, action if action != "press" else "/help")
        return before, None

    async def window(self, seconds: float) -> Window:
        result = Window()
        idle = list(self.users)
        random.shuffle(idle)
        busy: dict[int, tuple[float, int, str | None, str]] = {}
        cpu0, start = cpu_seconds(self.process.pid), time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline or busy:
            while len(busy) < IN_FLIGHT and idle and time.perf_counter() < deadline:
                user, action = idle.pop(), random.choice(ACTIONS)
                before, query = self._start(user, action)
                busy[user] = (time.perf_counter(), before, query, action)
            await self.emu.wait_changed(0.05)
            now = time.perf_counter()
            for user, (began, before, query, action) in list(busy.items()):
                if self._answered(user, before, query):
                    del busy[user]
                    idle.insert(0, user)
                    if began >= start and now <= deadline:
                        result.completed += 1
                        result.latencies.append((now - began) * 1000)
                        result.by_action.setdefault(action, []).append((now - began) * 1000)
        result.seconds = min(time.perf_counter(), deadline) - start
        result.cpu_seconds = cpu_seconds(self.process.pid) - cpu0
        return result

    async def prepare(self) -> None:
        """Each member asks once, so a 👍 is there to press; the bare bot gets a button too."""
        await asyncio.wait_for(self.emu.get_updates_seen.wait(), 60)
        helpful = t("zh", "btn_kb_helpful")
        for user in self.users:
            before = len(self.emu.chat_messages(user))
            self.emu.send_text(user, "/ask 加班费怎么算")
            async with asyncio.timeout(30):
                while len(self.emu.chat_messages(user)) == before:
                    await self.emu.wait_changed(0.5)
            for message in self.emu.chat_messages(user)[before:]:
                if any(helpful in label for label, _ in message.buttons()):
                    self.pressable[user] = message
            if self.name == "bare":
                self.pressable[user] = self.emu.chat_messages(user)[-1]
                self.pressable[user].reply_markup = {
                    "inline_keyboard": [[{"text": "ok", "callback_data": "ok"}]]
                }


async def seed_union(url: str) -> None:
    members = [FIRST + i for i in range(MEMBERS)]
    await seed_members_and_activities(url, members, lambda _: "一车间", first=FIRST, capacity=50)


async def start_union(workdir: Path, url: str, server: EmulatorServer, name: str) -> Process:
    config = workdir / f"{name}.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{server.base_url}"\n[database]\nurl = "{url}"\n'
        "[limits]\noverall_per_second = 10000\ngroup_per_minute = 100000\n",
        encoding="utf-8",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=ROOT,
        env={**os.environ, "UNIONBRIDGE_TOKEN": server.emulator.token},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def start_bare(server: EmulatorServer) -> Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bench" / "bare_bot.py"), "--token", server.emulator.token,
        "--base-url", server.base_url, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def emulator() -> EmulatorServer:
    server = EmulatorServer(Emulator())
    await server.start()
    for index in range(MEMBERS):
        server.emulator.user(FIRST + index, f"工友{index}")
    return server


async def contenders(args: argparse.Namespace, workdir: Path) -> list[Contender]:
    found = []
    server = await emulator()
    found.append(Contender("bare", server, await start_bare(server)))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    await seed_union(url)
    server = await emulator()
    found.append(Contender("sqlite", server, await start_union(workdir, url, server, "sqlite")))
    if args.postgres:
        url = args.pg_url = await create_database(args.postgres)
        await seed_union(url)
        server = await emulator()
        found.append(Contender("postgres", server, await start_union(workdir, url, server, "pg")))
    return found


def summary(name: str, windows: list[Window]) -> dict[str, float]:
    ups = statistics.median(w.ups for w in windows)
    latencies = [ms for w in windows for ms in w.latencies]
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else 0.0
    cpu_ms = statistics.median(1000 * w.cpu_seconds / max(1, w.completed) for w in windows)
    print(f"{name:9} {ups:7.1f} updates/s  p95 {p95:7.1f} ms  CPU {cpu_ms:5.2f} ms/update")
    for action in ACTIONS:
        each = [ms for w in windows for ms in w.by_action.get(action, [])]
        if len(each) >= 20:
            middle, high = statistics.median(each), statistics.quantiles(each, n=20)[18]
            print(f"          {action:18} p50 {middle:7.1f} ms  p95 {high:7.1f} ms")
    return {"ups": ups, "p95": p95, "cpu_ms": cpu_ms}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument(
        "--postgres",
        default="",
        help="admin URL, e.g. postgresql+asyncpg://postgres@127.0.0.1/test",
    )
    args = parser.parse_args()
    args.pg_url = ""
    workdir = Path(tempfile.mkdtemp())
    running = await contenders(args, workdir)
    results: dict[str, list[Window]] = {c.name: [] for c in running}
    try:
        for contender in running:
            await contender.prepare()
            await contender.window(2.0)  # warm up
        for _ in range(args.rounds):
            for contender in running:
                results[contender.name].append(await contender.window(args.window))
    finally:
        for contender in running:
            contender.process.send_signal(signal.SIGINT)
            await asyncio.wait_for(contender.process.wait(), 30)
            await contender.server.stop()
        if args.pg_url:
            await drop_database(args.postgres, args.pg_url)
    figures = {name: summary(name, windows) for name, windows in results.items()}
    bare, bot = figures["bare"], figures["sqlite"]
    out = {
        "bare_ups": round(bare["ups"], 1), "bot_ups": round(bot["ups"], 1),
        "ratio": round(bot["ups"] / bare["ups"], 3), "bot_p95_ms": round(bot["p95"], 1),
        "bare_cpu_ms": round(bare["cpu_ms"], 2), "bot_cpu_ms": round(bot["cpu_ms"], 2),
    }  # fmt: skip
    if "postgres" in figures:
        pg = figures["postgres"]
        out |= {
            "bot_pg_ups": round(pg["ups"], 1), "ratio_pg": round(pg["ups"] / bare["ups"], 3),
            "bot_pg_p95_ms": round(pg["p95"], 1),
        }  # fmt: skip
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
