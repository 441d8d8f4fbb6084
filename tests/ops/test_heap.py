"""Freed heap memory goes back to the system (bot/ops/heap.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from bot.ops.heap import trim_heap, trimmer

# A fresh interpreter, so no other test's allocations sit in the heap: 60 MB of strings freed,
# all but one kept at the top so that free() alone cannot shrink the heap, then one trim.
SCRIPT = textwrap.dedent(
    """
    import asyncio
    from pathlib import Path
    from bot.ops.heap import trim_heap

    def rss_mb():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

    chunks = [bytes(2000) + bytes([i % 256]) for i in range(30_000)]
    pin = bytes(3000)
    del chunks
    freed = rss_mb()
    gave_back = asyncio.run(trim_heap())
    print(freed, rss_mb(), gave_back, len(pin))
    """
)


@pytest.mark.skipif(trimmer() is None, reason="glibc's malloc_trim is not here")
def test_a_trim_gives_freed_memory_back() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=60
    )
    freed, trimmed, gave_back, _ = done.stdout.split()
    assert gave_back == "True"
    assert float(freed) - float(trimmed) > 40, done.stdout


async def test_trimming_where_there_is_nothing_to_call_is_a_no_op(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.ops.heap.trimmer", lambda: None)
    assert await trim_heap() is False
