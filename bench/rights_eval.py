"""Rights Q&A quality and speed on the two labelled sets.

tests/data/rights_eval.toml (written alongside the entries, labelled by entry id): top-1 counts
a question only when the right entry comes first *and* is given as the answer; top-3 when it is
among the first three; its out-of-scope questions must not be answered.
tests/data/rights_heldout.toml (written by someone who never read the entries, labelled by the
articles a right answer rests on): an in-scope question is right when the answer given cites
one of them; reported per slice only. confident_wrong_rate: in-scope questions given an answer
that cites none of them, over all in-scope questions.
Latency is the whole answer as the bot computes it — search, related questions, the rendered
text and the question recorded in a SQLite database — after the knowledge base has loaded.
Last line: one JSON object {"questions", "top1", "top3", "p95_ms", "out_of_scope_rejected",
"new_top1", "typo_top1", "english_top1", "near_miss_top1", "oos_rejected_rate",
"confident_wrong_rate"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.rights.answers import ask  # noqa: E402
from bot.rights.entries import shipped  # noqa: E402
from bot.rights.evaluation import (  # noqa: E402
    Figures,
    grid,
    load,
    score_heldout,
    score_old,
    sweep,
)
from bot.rights.lexicon import lexicon  # noqa: E402
from bot.rights.library import KnowledgeBase  # noqa: E402
from bot.rights.search import Index  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

DATA = ROOT / "tests" / "data"
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def latencies(texts: list[str]) -> list[float]:
    """Milliseconds for each whole answer, the knowledge base loaded beforehand."""
    found: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await upgrade(db)
        knowledge = KnowledgeBase()
        async with db.read() as session:
            await knowledge.index(session)
        for text in texts:
            began = time.perf_counter()
            async with db.begin() as session:
                await ask(session, knowledge, member_id=None, text=text, lang="zh", now=NOW)
            found.append((time.perf_counter() - began) * 1000)
        await db.engine.dispose()
    return found


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list the old set's misses")
    parser.add_argument(
        "--sweep", action="store_true", help="figures under other thresholds (aggregates only)"
    )
    args = parser.parse_args()
    labelled = load(DATA / "rights_eval.toml")
    heldout = load(DATA / "rights_heldout.toml")
    started = time.perf_counter()
    index = Index(shipped(), lexicon())
    print(f"knowledge base loaded in {time.perf_counter() - started:.2f} s")
    if args.sweep:
        candidates = grid(
            answer=[0.5, 0.6, 0.7],
            temperature=[7.0, 8.0, 10.0],
            agree_share=[0.25, 0.3, 0.35],
            posterior=[0.9, 0.95, 0.97],
            lead=[0.5, 0.6, 1.01],
        )
        for limits, found in sweep(index, labelled, heldout, candidates):
            print(limits, json.dumps(found))
        return
    figures = Figures()
    misses = score_old(index, labelled, figures)
    score_heldout(index, heldout, figures)
    texts = [q for qs in labelled["expect"].values() for q in qs] + [
        q["text"] for q in heldout["q"]
    ]
    times = await latencies(texts)
    p95 = statistics.quantiles(times, n=20)[-1]
    summary = figures.summary()
    print(f"{figures.questions} + {len(heldout['q'])} questions over {len(index.entries)} entries")
    print(f"old set: top-1 {summary['top1']}, top-3 {summary['top3']}, "
          f"out of scope rejected {summary['out_of_scope_rejected']}")  # fmt: skip
    for slice_ in sorted(figures.asked):
        asked = figures.asked[slice_]
        got = figures.oos_rejected if slice_ == "out_of_scope" else figures.right[slice_]
        line = f"held-out {slice_:>12}: {got}/{asked} = {got / asked:.3f}"
        if slice_ != "out_of_scope":
            line += (
                f"  (ranked first {figures.first[slice_]}, answered {figures.answered[slice_]},"
                f" asked between two with the right one {figures.asked_between[slice_]})"
            )
        print(line)
    print(f"answer latency median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms")
    if args.misses:
        print("old set first-place misses:", *misses, sep="\n")
    print(json.dumps(figures.summary(p95_ms=round(p95, 2))))


if __name__ == "__main__":
    asyncio.run(main())
