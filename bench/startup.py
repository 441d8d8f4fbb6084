"""Seconds from `unionbridge run` process start to its first getUpdates, and RSS after start.

The bot runs as a real process against the local Bot API emulator (no internet), on a new
SQLite database each run, so the figure includes applying the migrations.
Last line: one JSON object {"startup_s": …, "rss_mb": …} (medians over --runs).
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
    startups, memories = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as workdir:
            startup, memory = await one_run(Path(workdir), args.settle)
        startups.append(startup)
        memories.append(memory)
        print(f"run {run + 1}: first getUpdates after {startup:.3f} s, RSS {memory:.1f} MB")
    result = {
        "startup_s": round(statistics.median(startups), 3),
        "rss_mb": round(statistics.median(memories), 1),
    }
    print(
        f"median over {args.runs} runs: startup {result['startup_s']} s, RSS {result['rss_mb']} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
