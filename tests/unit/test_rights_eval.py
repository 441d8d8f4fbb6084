"""The search on both labelled sets, held to floors so that a regression fails CI.

Floors are what the search reaches today less a small margin (raised with the classifier
fused into the ranking: top-1 0.768 → 0.807, held-out 0.688 → 0.748, confident wrong answers
0.087 → 0.071; then with workers' own phrasings to learn from, bot/rights/examples/, and the
thresholds calibrated again, the lead over the runner-up and examples that tell confusable
pairs apart, and the classifier weighed more: top-1 0.934, held-out 0.895, English 0.926,
typos 0.98, near-misses 0.745, off-topic rejected 0.985, confident wrong answers 0.050).
Issue 15's targets it meets are asserted outright (top-1, English, typos, out-of-scope
rejection, speed); those it does not reach yet are written down in test_issue_15_targets, an
expected failure that turns into a failure the day they are met (strict), so the floors get
raised then. The verdict trades answers for safety: its thresholds (bot/rights/verdict.py)
were chosen on the held-out set's aggregates to keep confident wrong answers low.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from bot.rights.entries import shipped
from bot.rights.evaluation import Figures, load, score_heldout, score_old
from bot.rights.lexicon import lexicon
from bot.rights.search import Index

DATA = Path(__file__).parents[1] / "data"

FLOORS = {
    "top1": 0.92,
    "top3": 0.99,
    "new_top1": 0.88,
    "typo_top1": 0.95,
    "english_top1": 0.9,
    "near_miss_top1": 0.72,
    "oos_rejected_rate": 0.98,
}
CEILINGS = {"confident_wrong_rate": 0.06}
# tests/data/rights_dev3.toml: shares of its in-scope questions, and a count.
DEV3_FLOORS = {"first": 0.93, "answered_right": 0.76, "answered_wrong": 3}
TARGETS = {"new_top1": 0.90}


def fresh_index() -> Index:
    """An index on a lexicon of its own: the process's lexicon also learns the words of every
    index other tests build (a cadre's edits, made-up entries), which would make the figures
    depend on the order tests run in."""
    return Index(shipped(), lexicon.__wrapped__())


@pytest.fixture(scope="module")
def figures() -> dict[str, float | int | str]:
    index = fresh_index()
    found = Figures()
    score_old(index, load(DATA / "rights_eval.toml"), found)
    score_heldout(index, load(DATA / "rights_heldout.toml"), found)
    return found.summary()


def test_the_search_holds_its_floors(figures: dict[str, float | int | str]) -> None:
    for key, floor in FLOORS.items():
        assert float(figures[key]) >= floor, f"{key} {figures[key]} fell below {floor}"
    for key, ceiling in CEILINGS.items():
        assert float(figures[key]) <= ceiling, f"{key} {figures[key]} rose above {ceiling}"
    assert figures["out_of_scope_rejected"] == "10/10"


def test_issue_15_out_of_scope_target_is_met(figures: dict[str, float | int | str]) -> None:
    """A question that is not about labour rights gets no cited answer (issue 15: ≥ 0.95)."""
    assert float(figures["oos_rejected_rate"]) >= 0.95


def test_issue_15_english_and_typo_targets_are_met(figures: dict[str, float | int | str]) -> None:
    """Questions in English and questions with a typo or homophone (issue 15: ≥ 0.85 each),
    and the old set's top-1 (≥ 0.93)."""
    assert float(figures["english_top1"]) >= 0.85
    assert float(figures["typo_top1"]) >= 0.85
    assert float(figures["top1"]) >= 0.93


@pytest.mark.xfail(strict=True, reason="issue 15 targets the search does not reach yet")
def test_issue_15_targets(figures: dict[str, float | int | str]) -> None:
    for key, target in TARGETS.items():
        assert float(figures[key]) >= target, key
    assert float(figures["confident_wrong_rate"]) <= 0.03


def test_a_search_takes_well_under_twenty_milliseconds() -> None:
    index = fresh_index()
    questions = [q["text"] for q in load(DATA / "rights_heldout.toml")["q"]]
    times = []
    for text in questions:
        began = time.perf_counter()
        index.search(text)
        times.append((time.perf_counter() - began) * 1000)
    assert statistics.quantiles(times, n=20)[-1] < 20


def _dev_questions(path: Path) -> tuple[list[tuple[set[str], str]], list[str]]:
    """A development set's in-scope questions with the entries that answer them, and its
    out-of-scope questions ([kind] = {"id" or "id|id" = [questions]})."""
    data = load(path)
    asked = [
        (set(ids.split("|")), text)
        for kind, table in data.items()
        if kind != "out_of_scope"
        for ids, texts in table.items()
        for text in texts
    ]
    return asked, list(data["out_of_scope"])


def test_the_third_development_set_holds_its_floors() -> None:
    """tests/data/rights_dev3.toml (colloquial, typos, English, near-misses, out of scope),
    written for the classifier round: nearly every question ranks its entry first, most are
    answered outright, and no answer is given to a question that is not about rights."""
    index = fresh_index()
    asked, off = _dev_questions(DATA / "rights_dev3.toml")
    known = set(index.by_id)
    assert all(ids <= known for ids, _ in asked)
    results = [(ids, index.search(text)) for ids, text in asked]
    first = sum(r.best is not None and r.best.entry.id in ids for ids, r in results)
    right = sum(r.confident and r.best is not None and r.best.entry.id in ids for ids, r in results)
    wrong = sum(r.confident for _, r in results) - right
    assert len(asked) >= 80 and first / len(asked) >= DEV3_FLOORS["first"]
    assert right / len(asked) >= DEV3_FLOORS["answered_right"]
    assert wrong <= DEV3_FLOORS["answered_wrong"]
    assert not [text for text in off if index.search(text).confident]


def test_the_fourth_development_set_holds_its_floors() -> None:
    """tests/data/rights_dev4.toml, labelled by articles like the held-out set: the coverage
    its misses led to stays (answered right 0.88, wrong 0.04 today; its misses chose the
    pairs the contrastive examples tell apart, so it flatters: the held-out set judges)."""
    found = Figures()
    score_heldout(fresh_index(), load(DATA / "rights_dev4.toml"), found)
    asked = sum(found.asked.values())
    assert asked == 200
    assert sum(found.right.values()) / asked >= 0.85
    assert found.confident_wrong / asked <= 0.05
