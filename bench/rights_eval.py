"""Rights Q&A quality and speed on the labelled questions in tests/data/rights_eval.toml.

Top-1 counts a question only when the right entry comes first *and* clears the confidence
threshold (what the member would be shown as the answer); top-3 when the right entry is among
the first three. Latency is the whole answer as the bot computes it — search, related
questions, the rendered text and the question recorded in a SQLite database — after the
knowledge base has loaded (it loads once, at start). Out-of-scope questions must all fall
below the threshold.
Last line: one JSON object {"questions", "top1", "top3", "p95_ms", "out_of_scope_rejected"}.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.rights.answers import ask  # noqa: E402
from bot.rights.library import KnowledgeBase  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

EVAL = ROOT / "tests" / "data" / "rights_eval.toml"
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def main() -> None:
    labelled = tomllib.loads(EVAL.read_text(encoding="utf-8"))
    questions = [(q, entry_id) for entry_id, qs in labelled["expect"].items() for q in qs]
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await upgrade(db)
        knowledge = KnowledgeBase()
        started = time.perf_counter()
        async with db.read() as session:
            index = await knowledge.index(session)
        print(f"knowledge base loaded in {time.perf_counter() - started:.2f} s")
        top1 = top3 = 0
        latencies: list[float] = []
        misses: list[str] = []
        for text, entry_id in questions:
            ranked = index.search(text)
            ids = [hit.entry.id for hit in ranked.hits[:3]]
            top1 += ranked.confident and ids[:1] == [entry_id]
            top3 += entry_id in ids
            if ids[:1] != [entry_id]:
                misses.append(f"  {text} → {ids[:1]} (expected {entry_id})")
            began = time.perf_counter()
            async with db.begin() as session:
                await ask(session, knowledge, member_id=None, text=text, lang="zh", now=NOW)
            latencies.append((time.perf_counter() - began) * 1000)
        rejected = sum(not index.search(q).confident for q in labelled["out_of_scope"])
        await db.engine.dispose()
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"{len(questions)} questions over {len(index.entries)} entries")
    print(f"top-1 {top1 / len(questions):.3f}, top-3 {top3 / len(questions):.3f}")
    print(f"answer latency median {statistics.median(latencies):.2f} ms, p95 {p95:.2f} ms")
    print(f"out of scope rejected {rejected}/{len(labelled['out_of_scope'])}")
    if misses:
        print("first-place misses:", *misses, sep="\n")
    figures = {
        "questions": len(questions),
        "top1": round(top1 / len(questions), 3),
        "top3": round(top3 / len(questions), 3),
        "p95_ms": round(p95, 2),
        "out_of_scope_rejected": f"{rejected}/{len(labelled['out_of_scope'])}",
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
