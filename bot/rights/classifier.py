"""A multinomial Naive Bayes classifier over the ways each entry is asked, trained when the
index is built: pure Python, no model file, nothing fetched.

BM25 ranks by the rare words a question shares with an entry; the classifier weighs every
feature a question has — its characters and character pairs and triples (so a word the
segmenter cut differently, or typed with one wrong character, still counts), its words after
synonyms, and the loose pinyin of its characters (社宝 and 社保 read alike) — against every
entry's phrasings at once, so words common to many entries (辞退, 工资) decide little and
the condition words that set an entry apart (怀孕, 试用期) decide more.

The posterior is tempered (divided by the number of features asked and a temperature) before
the softmax: n-gram features are far from independent, and the raw product would make every
question look certain.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from bot.rights.lexicon import Lexicon
from bot.rights.postings import Postings

_HAN = re.compile(r"[\u3400-\u9fff]")
_KEEP = re.compile(r"[^\u3400-\u9fffa-z0-9]+")
_WORD = re.compile(r"[a-z]+")
# Additive smoothing: small, as each entry is learnt from a few dozen short texts (0.1 before
# the examples; with them 0.3 did better on the development sets).
ALPHA = 0.3
TEMPERATURE = 1.0  # applied to the per-feature mean log-likelihood
# Features by kind: how much each counts (words say more than single characters).
WEIGHTS = {"c1": 0.5, "c2": 1.0, "c3": 1.0, "w": 2.0, "p": 0.7, "e": 1.0, "e2": 1.0, "g": 0.5}


def features(text: str, terms: Sequence[str], lexicon: Lexicon, english: bool) -> dict[str, float]:
    """The weighted features of a text (Chinese: as corrected for typos) and of the search
    terms the lexicon made of it: characters and their pairs and triples, the terms, and
    pinyin pairs (Chinese); stems, stem pairs and letter trigrams (English)."""
    found: defaultdict[str, float] = defaultdict(float)
    lowered = text.lower()
    if english:
        for term in terms:
            found["e:" + term] += WEIGHTS["e"]
        for one, two in itertools.pairwise(terms):
            found[f"e2:{one} {two}"] += WEIGHTS["e2"]
        for word in _WORD.findall(lowered):
            padded = f"<{word}>"
            for i in range(len(padded) - 2):
                found["g:" + padded[i : i + 3]] += WEIGHTS["g"]
        return dict(found)
    plain = _KEEP.sub("", lowered)
    for size in (1, 2, 3):
        key = f"c{size}"
        for i in range(len(plain) - size + 1):
            gram = plain[i : i + size]
            if size == 1 and gram in lexicon.single_stopwords:
                continue
            found[f"{key}:{gram}"] += WEIGHTS[key]
    for term in terms:
        found["w:" + term] += WEIGHTS["w"]
    han = [c for c in plain if _HAN.match(c)]
    sounds = [lexicon.pinyin.readings(c) for c in han]
    keys = [s[0] if s else c for s, c in zip(sounds, han, strict=True)]
    for one, two in itertools.pairwise(keys):
        found[f"p:{one} {two}"] += WEIGHTS["p"]
    return dict(found)


_CLAUSE = re.compile(r"[\s，,。；;！!？?]+")
# The last clause of a Chinese question that tells a story first (我是试用期 公司说转正才交社保
# 这样行吗) usually holds what is asked: its features count this much again.
LAST_CLAUSE = 1.0
SHORTEST_CLAUSE = 5  # a shorter last clause (这样行吗) is read with the one before it


def last_clause(text: str) -> str:
    """The question's last clause (with the one before it when the last is short), or ""
    when it has only one."""
    clauses = [c for c in _CLAUSE.split(text.strip()) if c]
    if len(clauses) < 2:
        return ""
    last = clauses[-1]
    if len(last) < SHORTEST_CLAUSE and len(clauses) > 2:
        last = clauses[-2] + last
    return last


def question_features(
    text: str, terms: Sequence[str], lexicon: Lexicon, english: bool
) -> dict[str, float]:
    """A question's features, its last clause's counted again (Chinese)."""
    found = features(text, terms, lexicon, english)
    last = "" if english else last_clause(text)
    if last:
        for key, weight in features(last, lexicon.terms(last), lexicon, english).items():
            found[key] = found.get(key, 0.0) + LAST_CLAUSE * weight
    return found


class NaiveBayes:
    """Multinomial Naive Bayes with additive smoothing and uniform priors over classes.

    Sparse: a class's score starts from what an unseen feature costs it and adds, for each
    feature it has seen, how much better that feature fits it."""

    def __init__(
        self, examples: Iterable[Iterable[Mapping[str, float]]], alpha: float | None = None
    ) -> None:
        """`examples[c]` are the feature counts of class c's training texts: taken one at a
        time, so a generator keeps only one text's features in memory."""
        alpha = ALPHA if alpha is None else alpha
        counts: list[dict[str, float]] = []
        for texts in examples:
            summed: defaultdict[str, float] = defaultdict(float)
            for counted in texts:
                for feature, weight in counted.items():
                    summed[feature] += weight
            counts.append(dict(summed))
        self.size = len(counts)
        vocabulary = {f for total in counts for f in total}
        # A class with no training text (an entry with no English phrasing) never wins.
        self._unseen = [
            math.log(alpha / (sum(total.values()) + alpha * len(vocabulary)))
            if total
            else -math.inf
            for total in counts
        ]
        lifts: dict[str, list[tuple[int, float]]] = {}
        for number, total in enumerate(counts):
            for feature, count in total.items():
                lifts.setdefault(feature, []).append((number, math.log((count + alpha) / alpha)))
        self._lift = Postings(lifts)

    def __contains__(self, feature: str) -> bool:
        return feature in self._lift

    def log_likelihoods(self, counted: Mapping[str, float]) -> tuple[list[float], float]:
        """Each class's log-likelihood of the known features, and their total weight."""
        known = {f: n for f, n in counted.items() if f in self._lift}
        weight = sum(known.values())
        scores = [weight * unseen for unseen in self._unseen]
        for feature, n in known.items():
            for number, lift in self._lift.get(feature):
                scores[number] += n * lift
        return scores, weight

    def posterior(
        self, counted: Mapping[str, float], temperature: float | None = None
    ) -> list[float]:
        """Each class's probability, tempered by the features' weight; all zero when the
        text has no feature the classifier knows."""
        scores, weight = self.log_likelihoods(counted)
        if not self.size or weight == 0:
            return [0.0] * self.size
        temperature = TEMPERATURE if temperature is None else temperature
        top = max(scores)
        if top == -math.inf:
            return [0.0] * self.size
        spread = [math.exp((s - top) / (weight * temperature) * _SHARPNESS) for s in scores]
        total = sum(spread)
        return [s / total for s in spread]


# Mean log-likelihood differences between classes are a few tenths per feature: scaled so a
# temperature of 1 gives a posterior that is neither flat nor certain.
_SHARPNESS = 10.0
