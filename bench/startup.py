"""Seconds from `unionbridge run` process start to its first getUpdates, and RSS after start.

The bot runs as a real process against the local Bot API emulator (no internet), on a new
SQLite database each run, so startup_s includes applying the migrations; restart_s is a second
start on that database, as after a deploy or a crash. The tree is byte-compiled first, as
`pip install .` leaves an installed bot (this machine sets PYTHONDONTWRITEBYTECODE, which would
otherwise have every start compile the bot's ~260 modules again).
Last line: one JSON object {"startup_s": …, "rss_mb": …, "restart_s": …} (medians over --runs).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.emulator import Emulator, EmulatorServer  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc status")


async def one_run(workdir: Path, settle_s: float) -> tuple[float, float]:
    server = EmulatorServer(Emulator())
    await server.start()
    config = workdir / "config.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{server.base_url}"\nbase_file_url = "{server.base_file_url}"\n'
        f'[database]\nurl = "sqlite+aiosqlite:///{workdir / "bench.db"}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "UNIONBRIDGE_TOKEN": server.emulator.token}
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await asyncio.wait_for(server.emulator.get_updates_seen.wait(), 60)
        startup = time.perf_counter() - started
        await asyncio.sleep(settle_s)
        memory = rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 30)
        await server.stop()
    return startup, memory


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--settle", type=float, default=1.0, help="seconds after start before reading RSS"
    )
    args = parser.parse_args()
    for package in ("bot", "handlers", "storage"):
        compileall.compile_dir(ROOT / package, quiet=1)
    startups, memories, restarts = [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as workdir:
            startup, memory = await one_run(Path(workdir), args.settle)
            restart, _ = await one_run(Path(workdir), 0.0)
        startups.append(startup)
        memories.append(memory)
        restarts.append(restart)
        print(
            f"run {run + 1}: first getUpdates after {startup:.3f} s, RSS {memory:.1f} MB; "
            f"after a restart {restart:.3f} s"
        )
    result = {
        "startup_s": round(statistics.median(startups), 3),
        "rss_mb": round(statistics.median(memories), 1),
        "restart_s": round(statistics.median(restarts), 3),
    }
    print(
        f"median over {args.runs} runs: startup {result['startup_s']} s, RSS {result['rss_mb']} MB,"
        f" restart {result['restart_s']} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
