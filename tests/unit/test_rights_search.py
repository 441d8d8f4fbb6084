"""Search decisions: synonyms, the confidence threshold, accuracy on the labelled set,
related questions, retired entries."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from bot.rights.entries import shipped
from bot.rights.lexicon import lexicon
from bot.rights.search import Index

EVAL = tomllib.loads((Path(__file__).parents[1] / "data" / "rights_eval.toml").read_text())


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(shipped(), lexicon())


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("加班工资怎么算", "overtime-pay"),
        ("被炒鱿鱼能赔多少", "unlawful-dismissal"),
        ("公司不交五险一金", "social-insurance"),
        ("生孩子能休多少天", "maternity-leave"),
        ("去哪里申请劳动仲栽", "labour-arbitration"),
        ("How long is maternity leave?", "maternity-leave"),
    ],
)
def test_colloquial_words_typos_and_english_find_the_entry(
    index: Index, question: str, entry_id: str
) -> None:
    result = index.search(question)
    assert result.confident and result.best is not None and result.best.entry.id == entry_id


def test_synonyms_fold_to_one_search_term() -> None:
    words = lexicon()
    assert words.terms("炒鱿鱼") == words.terms("开除") == words.terms("解雇")
    assert words.terms("五险一金") == words.terms("社保")
    assert words.terms("加班工资") == words.terms("加班费")


def test_a_holiday_named_by_its_date_is_not_taken_for_a_number() -> None:
    words = lexicon()
    assert words.terms("五一放几天") == words.terms("国庆放几天")
    assert "法定节假日" in words.terms("五一放几天")
    assert "法定节假日" in words.terms("五一1号2号都叫回来上班")
    assert words.terms("干了十一年") == []  # an amount still says nothing


@pytest.mark.parametrize("question", EVAL["out_of_scope"])
def test_out_of_scope_questions_fall_below_the_threshold(index: Index, question: str) -> None:
    assert not index.search(question).confident


def test_related_questions_are_other_entries_sharing_the_subject(index: Index) -> None:
    entry = index.by_id["maternity-leave"]
    related = index.related(entry)
    assert 1 <= len(related) <= 3 and entry not in related
    assert "nursing-time" in {e.id for e in related}
    # Never an unrelated subject: every related entry shares a tag with the answer.
    for other in index.entries:
        assert all(set(e.tags) & set(other.tags) for e in index.related(other))


def test_a_retired_entry_stops_matching() -> None:
    entries = [replace(e, retired=e.id == "overtime-pay") for e in shipped()]
    result = Index(entries, lexicon()).search("加班费怎么算")
    assert all(hit.entry.id != "overtime-pay" for hit in result.hits)


def test_a_greeting_has_no_search_terms(index: Index) -> None:
    assert index.search("你好").terms == ()
    assert index.search("").hits == ()
