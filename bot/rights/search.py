"""Ranking entries for a question, and a verdict on the ranking: answer, ask which of two,
not sure, or not a labour-rights question at all.

Pure and Telegram-free. An entry's score is its best-matching phrasing, plus a share of how
well its phrasings taken together and its answer text match: one close phrasing counts most,
while the answer's own words catch questions asked in words no phrasing uses. A Naive Bayes
classifier trained on the same phrasings (bot/rights/classifier.py) then adds its posterior,
in units of the best score: BM25 finds the entries sharing the question's rare words, the
classifier weighs all its characters, words and sounds against every entry at once. Chinese
questions are searched against the Chinese texts, English ones against the English texts.
An entry's phrasings are the ones a cadre sees in the form and the examples of how workers
really ask for it (bot/rights/examples/): stories, slang, typos, English.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.rights.bm25 import Bm25
from bot.rights.classifier import NaiveBayes, features, question_features
from bot.rights.entries import Entry
from bot.rights.lexicon import Lexicon
from bot.rights.nearest import Nearest
from bot.rights.verdict import Evidence, Ranking, Thresholds, Verdict, judge

# Related questions shown under an answer must share real words with it.
RELATED_SCORE = 1.5
ALL_PHRASINGS_WEIGHT = 0.5
ANSWER_WEIGHT = 0.3
# Condition words decide an entry: a question about pregnancy is about the women's entries
# before any generic dismissal entry, a work injury before generic sick leave.
CONDITIONS = frozenset(
    {"怀孕", "哺乳", "产假", "工伤", "职业病", "派遣", "实习", "骑手", "非全日制"}
)
CONDITION_BOOST = 1.5  # an entry for the condition asked about
CONDITION_OTHERS = 0.6  # an entry for no condition, when one is asked about
CONDITION_UNASKED = 0.8  # an entry for a condition nobody asked about
_HAN = re.compile(r"[\u3400-\u9fff]")
_EMPTY = "\u2205"  # keeps owners aligned with documents for a phrasing with no terms


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


@dataclass(frozen=True)
class Result:
    """The ranked entries for one question, best first, and the verdict on them.

    `confident` keeps its old meaning for callers: the top entry may be given as the answer
    (verdict ANSWER). `candidates` holds the two entries to ask between when AMBIGUOUS."""

    hits: tuple[Hit, ...]
    terms: tuple[str, ...]
    verdict: Verdict = Verdict.UNSURE
    candidates: tuple[Entry, ...] = field(default=())
    evidence: Evidence | None = None  # what the verdict was decided on

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    @property
    def confident(self) -> bool:
        return self.verdict is Verdict.ANSWER and bool(self.hits)


def is_english(text: str) -> bool:
    return not _HAN.search(text) and bool(re.search(r"[A-Za-z]{2,}", text))


BIGRAM_WEIGHT = 0.3
# The nearest phrasing's similarity, in units of the best score: a question typed (nearly) as
# an entry's phrasing leans to that entry even when its search terms say little (加班费怎么算).
NEAREST_WEIGHT = 0.8
# The classifier's posterior, in units of the best score (bot/rights/classifier.py): raised
# from 1.0 once it learnt from the examples, on the development sets' figures.
CLASSIFIER_WEIGHT = 1.5
# Below this the classifier's probability is noise: it makes no entry a match.
LEAST_POSTERIOR = 0.01
_PUNCT = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")


def bigrams(text: str, stop: frozenset[str]) -> list[str]:
    """Character bigrams of a text's Chinese, for words the segmenter cut differently."""
    chars = [c for c in _PUNCT.sub(" ", text.lower()) if c not in stop]
    return [a + b for a, b in itertools.pairwise(chars) if " " not in a + b]


class _Channels:
    """One language's indexes: each phrasing, all phrasings of an entry together, answers."""

    def __init__(self, lexicon: Lexicon, entries: Sequence[Entry], english: bool) -> None:
        self.owners: list[int] = []
        self.texts: list[list[str]] = []
        # Each entry's texts with their terms: what the classifier learns the entry from.
        self.examples: list[list[tuple[str, list[str]]]] = []
        phrasings: list[list[str]] = []
        together: list[list[str]] = []
        answers: list[list[str]] = []
        for number, entry in enumerate(entries):
            if english:
                texts, answer = list(entry.questions_en), entry.answer_en
                # An entry a cadre wrote without English stays out of the English index.
                asked = list(entry.examples_en) if entry.questions_en else []
            else:
                texts = [*entry.questions, " ".join([entry.topic, *entry.tags])]
                answer = entry.answer
                asked = list(entry.examples)
            texts += asked
            self.texts.append(texts)
            terms_of = [lexicon.terms(text) for text in texts]
            self.examples.append(list(zip(texts, terms_of, strict=True)))
            for terms in terms_of:
                phrasings.append(terms or [_EMPTY])
                self.owners.append(number)
            together.append([t for terms in terms_of for t in terms] or [_EMPTY])
            answers.append(lexicon.terms(answer) or [_EMPTY])
        self.phrasings = Bm25(phrasings)
        self.together = Bm25(together)
        self.answers = Bm25(answers)
        stop = lexicon.single_stopwords
        grams = [bigrams(" ".join(texts_of), stop) or [_EMPTY] for texts_of in self.texts]
        self.bigrams = Bm25(grams)
        self._stop = stop

    def scores(self, terms: Sequence[str], size: int, text: str = "") -> list[float]:
        best = [0.0] * size
        owners = self.owners
        for number, score in self.phrasings.matches(terms).items():
            best[owners[number]] = max(best[owners[number]], score)
        together = self.together.scores(terms)
        answers = self.answers.scores(terms)
        grams = self.bigrams.scores(bigrams(text, self._stop))
        return [
            b + ALL_PHRASINGS_WEIGHT * t + ANSWER_WEIGHT * a + BIGRAM_WEIGHT * g
            for b, t, a, g in zip(best, together, answers, grams, strict=True)
        ]

    def vocabulary(self) -> list[str]:
        return [t for t in self.phrasings.terms() if t != _EMPTY]

    def known(self, term: str) -> bool:
        return term in self.phrasings or term in self.together


def _weight(asked: set[str], has: set[str]) -> float:
    if asked & has:
        return CONDITION_BOOST
    if has:
        return CONDITION_UNASKED
    return CONDITION_OTHERS if asked else 1.0


class Index:
    """The live entries, indexed once; a changed knowledge base builds a new Index."""

    def __init__(self, entries: Sequence[Entry], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.entries = [e for e in entries if not e.retired]
        self.by_id = {e.id: e for e in self.entries}
        lexicon.learn(w for e in self.entries for w in (*e.tags, e.topic))
        lexicon.note_singles(q for e in self.entries for q in e.questions)
        self._zh = _Channels(lexicon, self.entries, english=False)
        # The words phrasings are indexed by are what a typo may stand for.
        lexicon.typo_targets(self._zh.vocabulary())
        self._en = _Channels(lexicon, self.entries, english=True)
        # The classifier learns each entry from the same texts its phrasings are indexed by.
        self._nb_zh = NaiveBayes(
            (features(t, ts, lexicon, False) for t, ts in pairs) for pairs in self._zh.examples
        )
        self._nb_en = NaiveBayes(
            (features(t, ts, lexicon, True) for t, ts in pairs) for pairs in self._en.examples
        )
        self._near_zh = Nearest([(*e.questions, *e.examples) for e in self.entries])
        self._near_en = Nearest([(*e.questions_en, *e.examples_en) for e in self.entries])
        # The words that name a labour-rights subject: synonym groups' words, entry tags, and
        # the words of topics and answers (answers hold no small talk, unlike phrasings' 今天).
        self._topics = set(lexicon.canonical.values()) | {
            t
            for e in self.entries
            for text in (*e.tags, e.topic, e.answer, e.answer_en)
            for t in lexicon.terms(text)
        }
        self._related: dict[tuple[Entry, int], list[Entry]] = {}
        self._conditions = [
            {lexicon.canonical.get(t, t) for t in e.tags} & CONDITIONS for e in self.entries
        ]

    def search(self, text: str, limit: int = 4) -> Result:
        english = is_english(text)
        terms = tuple(self.lexicon.terms(text))
        unique = list(dict.fromkeys(terms))
        if not self.entries or not unique:
            evidence = Evidence(text, terms)
            return Result(hits=(), terms=terms, verdict=judge(evidence), evidence=evidence)
        channels = self._en if english else self._zh
        scores = channels.scores(unique, len(self.entries), text)
        nearest = self._near_en if english else self._near_zh
        corrected = self.lexicon.corrected(text)
        near = nearest.similarity(corrected)
        top = max(scores)
        scores = [s + NEAREST_WEIGHT * top * n for s, n in zip(scores, near, strict=True)]
        scores_before = scores
        lexical = sorted(range(len(scores)), key=lambda i: -scores[i])[:3]
        posterior = self._posterior(corrected, terms, english)
        top = max(scores)
        scores = [
            s + CLASSIFIER_WEIGHT * top * p * (p >= LEAST_POSTERIOR)
            for s, p in zip(scores, posterior, strict=True)
        ]
        scores = self._conditioned(scores, set(unique) & CONDITIONS)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:limit]
        hits = tuple(Hit(self.entries[i], scores[i]) for i in order if scores[i] > 0)
        first = order[0]
        evidence = Evidence(
            text,
            terms,
            Ranking.of(scores),
            nearest=near[first],
            nearest_gap=near[first] - max(n for i, n in enumerate(near) if i != first),
            domain=sum(channels.known(t) for t in unique),
            topical=bool(self._topics.intersection(unique)),
            english=english,
            posterior=posterior[first],
            lexical=tuple(scores_before[i] for i in lexical),
            lexical_pair=set(lexical[:2]) == set(order[:2]),
            posterior_top=posterior[first] == max(posterior),
        )
        return self.judged(hits, evidence)

    def _posterior(self, text: str, terms: Sequence[str], english: bool) -> list[float]:
        """The classifier's probability of each entry for the question (typos corrected)."""
        classifier = self._nb_en if english else self._nb_zh
        return classifier.posterior(question_features(text, terms, self.lexicon, english))

    @staticmethod
    def judged(
        hits: tuple[Hit, ...], evidence: Evidence, limits: Thresholds | None = None
    ) -> Result:
        """The result of a ranking under the verdict (with other thresholds, for a sweep)."""
        verdict = judge(evidence, limits)
        candidates = tuple(h.entry for h in hits[:2]) if verdict is Verdict.AMBIGUOUS else ()
        return Result(hits, evidence.terms, verdict, candidates, evidence)

    def _conditioned(self, scores: list[float], asked: set[str]) -> list[float]:
        """Scores weighed by the condition words asked about and those each entry is for."""
        return [
            score * _weight(asked, has) for score, has in zip(scores, self._conditions, strict=True)
        ]

    def related(self, entry: Entry, limit: int = 2) -> list[Entry]:
        """Entries a member who read this one may want next: only from the same subject area
        (the same shipped file, or sharing a tag for a cadre's new entry), sharing a tag with
        it, most shared tags first, then best match to its title. The same for every member
        while this index is in force: worked out once per entry."""
        key = (entry, limit)
        if key not in self._related:
            self._related[key] = self._find_related(entry, limit)
        return self._related[key]

    def _find_related(self, entry: Entry, limit: int) -> list[Entry]:
        query = " ".join([entry.title, entry.topic, *entry.tags])
        found = [h for h in self.search(query, limit=limit + 8).hits if h.entry.id != entry.id]
        tags = set(entry.tags)
        same = [
            h
            for h in found
            if h.score >= RELATED_SCORE
            and tags & set(h.entry.tags)
            and (not entry.section or not h.entry.section or h.entry.section == entry.section)
        ]
        same.sort(key=lambda h: -len(tags & set(h.entry.tags)))
        return [h.entry for h in same[:limit]]
