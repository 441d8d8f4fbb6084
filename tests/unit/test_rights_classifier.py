"""The Naive Bayes classifier the search fuses with BM25: what its features are, how it ranks,
and the ranking decisions it changes in the real knowledge base."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.rights.classifier import NaiveBayes, features, last_clause, question_features
from bot.rights.entries import shipped
from bot.rights.lexicon import Lexicon, lexicon
from bot.rights.search import Index
from bot.rights.verdict import Verdict


@pytest.fixture(scope="module")
def words() -> Lexicon:
    return lexicon()


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(shipped(), lexicon.__wrapped__())


def _zh(text: str, words: Lexicon) -> dict[str, float]:
    return features(text, words.terms(text), words, english=False)


def _en(text: str, words: Lexicon) -> dict[str, float]:
    return features(text, words.terms(text), words, english=True)


def test_chinese_features_are_characters_pairs_triples_words_and_pinyin(words: Lexicon) -> None:
    found = _zh("社保不交", words)
    assert {"c1:社", "c2:社保", "c3:社保不", "w:社保"} <= set(found)
    # A homophone typo shares the pinyin pair with the word it stands for, not its characters.
    typed = features("社宝", [], words, english=False)
    assert "c2:社保" not in typed
    assert {f for f in typed if f.startswith("p:")} == {f for f in found if f == "p:she bao"}


def test_english_features_are_stems_their_pairs_and_letter_trigrams(words: Lexicon) -> None:
    found = _en("unpaid wages", words)
    terms = words.terms("unpaid wages")
    assert {f"e:{t}" for t in terms} <= set(found)
    assert "g:<wa" in found and not any(f.startswith(("c1:", "p:")) for f in found)


def test_the_class_whose_texts_share_the_rare_features_wins() -> None:
    classes = [
        [Counter({"w:工资": 1, "w:拖欠": 1}), Counter({"w:工资": 1, "w:欠薪": 1})],
        [Counter({"w:工资": 1, "w:加班费": 1}), Counter({"w:加班": 1, "w:工资": 1})],
    ]
    model = NaiveBayes(classes)
    posterior = model.posterior(Counter({"w:工资": 1, "w:拖欠": 1}))
    assert posterior[0] > 0.9 and abs(sum(posterior) - 1) < 1e-9
    # A feature every class has decides nothing on its own.
    alone = model.posterior(Counter({"w:工资": 1}))
    assert abs(alone[0] - alone[1]) < 0.2


def test_a_text_with_nothing_known_and_a_class_with_no_text_get_nothing() -> None:
    model = NaiveBayes([[Counter({"w:年假": 1})], []])
    assert model.posterior(Counter({"w:足球": 1})) == [0.0, 0.0]
    assert model.posterior(Counter({"w:年假": 1}))[1] == 0.0
    assert "w:年假" in model and "w:足球" not in model


def test_tempering_keeps_a_long_question_from_looking_certain() -> None:
    classes = [[Counter({f"c1:{c}": 1 for c in text})] for text in ("加班费", "加班")]
    model = NaiveBayes(classes)
    asked = Counter({"c1:加": 1, "c1:班": 1, "c1:费": 1})
    soft = model.posterior(asked, temperature=4.0)
    sharp = model.posterior(asked, temperature=0.5)
    assert 0.5 < soft[0] < sharp[0]


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # Words the segmenter cuts differently still share characters.
        ("加班白干 一分钱没有", "overtime-pay"),
        ("大小周合法吗", "working-hours"),
        ("老婆生孩子我能休几天", "paternity-childcare-leave"),
        ("合同写三年内不许生孩子", "marriage-pregnancy-clause"),
        ("男的有产假吗", "paternity-childcare-leave"),
    ],
)
def test_the_fused_ranking_answers_what_bm25_alone_ranked_second(
    index: Index, question: str, entry_id: str
) -> None:
    result = index.search(question)
    assert result.best is not None and result.best.entry.id == entry_id
    assert result.verdict is Verdict.ANSWER


def test_a_typo_the_lexicon_leaves_is_still_ranked_by_its_characters(index: Index) -> None:
    result = index.search("停工留新期工资")
    assert result.best is not None and result.best.entry.id == "injury-paid-leave"


def test_the_last_clause_of_a_story_counts_again(words: Lexicon) -> None:
    assert last_clause("签了合同的 上个周日加了一天班怎么给钱") == "上个周日加了一天班怎么给钱"
    assert last_clause("我是试用期 公司说转正才交社保 这样行吗") == "公司说转正才交社保这样行吗"
    assert last_clause("加班费怎么算") == ""
    text = "签了合同的 周日加了一天班怎么给钱"
    found = question_features(text, words.terms(text), words, english=False)
    assert found["w:加班"] > found["w:劳动合同"]
    english = "I signed a contract, how is overtime paid"
    assert question_features(english, [], words, english=True) == features(
        english, [], words, english=True
    )
