"""Ranking entries for a question with BM25 (bm25s), and how sure the ranking is.

Pure and Telegram-free. An entry's score is its best-matching phrasing, plus a share of how
well its phrasings taken together and its answer text match: one close phrasing counts most,
while the answer's own words catch questions asked in words no phrasing uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import numpy.typing as npt

from bot.rights.entries import Entry
from bot.rights.lexicon import Lexicon

# Below this a match is a guess: the bot says it is not sure and offers a cadre instead.
# Set from tests/data/rights_eval.toml: nearly all right answers score over 3; off-topic
# questions (the weather, the canteen) under 1, and questions that share one word with an
# entry (夜班补贴 with 高温补贴) under 3.
CONFIDENT_SCORE = 3.0
# Related questions shown under an answer must share real words with it.
RELATED_SCORE = 1.5
ALL_PHRASINGS_WEIGHT = 0.5
ANSWER_WEIGHT = 0.5


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


@dataclass(frozen=True)
class Result:
    """The ranked entries for one question, best first; `confident` says whether the top
    one may be given as the answer."""

    hits: tuple[Hit, ...]
    terms: tuple[str, ...]

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    @property
    def confident(self) -> bool:
        return bool(self.hits) and self.hits[0].score >= CONFIDENT_SCORE


class _Bm25:
    """One BM25 index over documents of terms; unknown terms are left out of a query (bm25s
    has no id for them)."""

    def __init__(self, documents: list[list[str]]) -> None:
        self.vocabulary = {term for doc in documents for term in doc}
        self.size = len(documents)
        self._model = bm25s.BM25()
        if self.vocabulary:
            self._model.index(documents, show_progress=False)

    def scores(self, terms: Sequence[str]) -> npt.NDArray[np.float64]:
        known = [term for term in terms if term in self.vocabulary]
        if not known:
            return np.zeros(self.size)
        return np.asarray(self._model.get_scores(known), dtype=np.float64)


class Index:
    """The live entries, indexed once; a changed knowledge base builds a new Index."""

    def __init__(self, entries: Sequence[Entry], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.entries = [e for e in entries if not e.retired]
        self.by_id = {e.id: e for e in self.entries}
        owners: list[int] = []
        phrasings: list[list[str]] = []
        together: list[list[str]] = []
        answers: list[list[str]] = []
        for number, entry in enumerate(self.entries):
            texts = [*entry.questions, *entry.questions_en, " ".join([entry.topic, *entry.tags])]
            terms_of = [lexicon.terms(text) for text in texts]
            for terms in terms_of:
                phrasings.append(terms or ["\u2205"])  # keep owners aligned with documents
                owners.append(number)
            together.append([term for terms in terms_of for term in terms] or ["\u2205"])
            answers.append(lexicon.terms(f"{entry.answer}\n{entry.answer_en}") or ["\u2205"])
        self._owners = np.array(owners, dtype=np.int64)
        self._phrasings = _Bm25(phrasings)
        self._together = _Bm25(together)
        self._answers = _Bm25(answers)

    def search(self, text: str, limit: int = 4) -> Result:
        terms = tuple(self.lexicon.terms(text))
        unique = list(dict.fromkeys(terms))
        if not self.entries or not unique:
            return Result(hits=(), terms=terms)
        scores = np.zeros(len(self.entries))
        np.maximum.at(scores, self._owners, self._phrasings.scores(unique))
        scores += ALL_PHRASINGS_WEIGHT * self._together.scores(unique)
        scores += ANSWER_WEIGHT * self._answers.scores(unique)
        order = np.argsort(-scores, kind="stable")[:limit]
        hits = tuple(Hit(self.entries[i], float(scores[i])) for i in order if scores[i] > 0)
        return Result(hits=hits, terms=terms)

    def related(self, entry: Entry, limit: int = 3) -> list[Entry]:
        """Entries a member who read this one may want next: those sharing a tag with it
        first, then those its title and tags find, best first."""
        query = " ".join([entry.title, entry.topic, *entry.tags])
        found = [h for h in self.search(query, limit=limit + 8).hits if h.entry.id != entry.id]
        tags = set(entry.tags)
        ranked = sorted(
            (h for h in found if h.score >= RELATED_SCORE),
            key=lambda h: (not tags.intersection(h.entry.tags), -h.score),
        )
        return [h.entry for h in ranked[:limit]]
