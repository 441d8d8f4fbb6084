"""Scoring the search on labelled questions: the figures bench/rights_eval.py prints and the
floors a unit test holds it to. Pure: it only calls Index.search.

Two sets. tests/data/rights_eval.toml (written alongside the entries) is labelled by entry id.
tests/data/rights_heldout.toml (written by someone who never read the entries) is labelled by
the articles a right answer rests on, so an answer counts when the entry given cites one.
"""

from __future__ import annotations

import dataclasses
import itertools
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.rights.citations import rests_on
from bot.rights.search import Index, Result
from bot.rights.verdict import CHINESE, Thresholds

Search = Callable[[str], Result]

IN_SCOPE_SLICES = ("colloquial", "typo", "mixed", "near_miss", "english")


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def given(result: Result) -> bool:
    """Whether the member is shown the top entry as the answer."""
    return result.confident


@dataclass
class Figures:
    questions: int = 0
    top1: int = 0
    top3: int = 0
    oos_old: int = 0
    oos_old_rejected: int = 0
    # Held-out: per slice, how many questions and how many answered right.
    asked: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    confident_wrong: int = 0
    oos_rejected: int = 0
    # Diagnostics, per slice: the right entry ranked first whatever the verdict; asked
    # between two entries, one of them right; answered at all.
    first: Counter[str] = field(default_factory=Counter)
    asked_between: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)

    def rate(self, slice_: str) -> float:
        return self.right[slice_] / self.asked[slice_] if self.asked[slice_] else 0.0

    def summary(self, p95_ms: float = 0.0) -> dict[str, float | int | str]:
        in_scope = sum(self.asked[s] for s in IN_SCOPE_SLICES)
        right = sum(self.right[s] for s in IN_SCOPE_SLICES)
        oos = self.asked["out_of_scope"]
        return {
            "questions": self.questions,
            "top1": round(self.top1 / self.questions, 3),
            "top3": round(self.top3 / self.questions, 3),
            "p95_ms": p95_ms,
            "out_of_scope_rejected": f"{self.oos_old_rejected}/{self.oos_old}",
            "new_top1": round(right / in_scope, 3) if in_scope else 0.0,
            "typo_top1": round(self.rate("typo"), 3),
            "english_top1": round(self.rate("english"), 3),
            "near_miss_top1": round(self.rate("near_miss"), 3),
            "oos_rejected_rate": round(self.oos_rejected / oos, 3) if oos else 0.0,
            "confident_wrong_rate": round(self.confident_wrong / in_scope, 3) if in_scope else 0.0,
        }


def score_old(index: Index | Search, labelled: dict[str, Any], figures: Figures) -> list[str]:
    """Top-1/top-3 on the set labelled by entry id; returns the first-place misses."""
    search = index.search if isinstance(index, Index) else index
    misses: list[str] = []
    for entry_id, questions in labelled["expect"].items():
        for text in questions:
            result = search(text)
            ids = [hit.entry.id for hit in result.hits[:3]]
            figures.questions += 1
            figures.top1 += given(result) and ids[:1] == [entry_id]
            figures.top3 += entry_id in ids
            if not (given(result) and ids[:1] == [entry_id]):
                misses.append(f"  {text} → {ids[:1]} (expected {entry_id})")
    for text in labelled["out_of_scope"]:
        figures.oos_old += 1
        figures.oos_old_rejected += not given(search(text))
    return misses


def score_heldout(index: Index | Search, heldout: dict[str, Any], figures: Figures) -> None:
    """Per-slice figures only: nobody tunes entries by this set's individual misses."""
    search = index.search if isinstance(index, Index) else index
    for question in heldout["q"]:
        slice_, expected = question["slice"], question["articles"]
        result = search(question["text"])
        figures.asked[slice_] += 1
        shown = given(result) and result.best is not None
        if slice_ == "out_of_scope":
            figures.oos_rejected += not shown
            continue
        first = result.best is not None and rests_on(result.best.entry.citations, expected)
        right = shown and first
        figures.right[slice_] += right
        figures.confident_wrong += shown and not right
        figures.first[slice_] += first
        figures.answered[slice_] += shown
        figures.asked_between[slice_] += any(
            rests_on(entry.citations, expected) for entry in result.candidates
        )


def sweep(
    index: Index,
    labelled: dict[str, Any],
    heldout: dict[str, Any],
    grid: Iterable[Thresholds],
) -> list[tuple[Thresholds, dict[str, float | int | str]]]:
    """The figures under each candidate set of thresholds: every question is searched once and
    only the verdict is decided again. Aggregates only, for calibrating the thresholds."""
    texts = [q for qs in labelled["expect"].values() for q in qs]
    texts += list(labelled["out_of_scope"]) + [q["text"] for q in heldout["q"]]
    ranked = {text: index.search(text) for text in dict.fromkeys(texts)}
    found = []
    for limits in grid:

        def search(text: str, limits: Thresholds = limits) -> Result:
            result = ranked[text]
            assert result.evidence is not None
            return Index.judged(result.hits, result.evidence, limits)

        figures = Figures()
        score_old(search, labelled, figures)
        score_heldout(search, heldout, figures)
        summary = figures.summary()
        in_scope = sum(figures.asked[s] for s in IN_SCOPE_SLICES)
        between = sum(figures.asked_between[s] for s in IN_SCOPE_SLICES)
        summary["asked_between_rate"] = round(between / in_scope, 3) if in_scope else 0.0
        found.append((limits, summary))
    return found


def grid(**choices: Iterable[float]) -> list[Thresholds]:
    """Every combination of the given values of Thresholds' fields (others at their calibrated
    Chinese values), e.g. grid(answer=[0.7, 0.8], temperature=[2.0, 3.0])."""
    names = list(choices)
    return [
        dataclasses.replace(CHINESE, **dict(zip(names, values, strict=True)))
        for values in itertools.product(*(list(choices[name]) for name in names))
    ]
