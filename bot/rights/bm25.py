"""A small Okapi BM25 over documents of terms: the few thousand short documents of the
knowledge base need no numpy, and the bot starts lighter without it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.rights.postings import Postings

K1 = 1.2
B = 0.75


class Bm25:
    """Scores documents for a bag of query terms; a term no document holds scores nothing."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.size = len(documents)
        lengths = [len(doc) for doc in documents]
        average = sum(lengths) / self.size if self.size else 0.0
        postings: dict[str, list[tuple[int, float]]] = {}
        for number, doc in enumerate(documents):
            # The length part of the denominator is fixed per document: computed once here.
            norm = K1 * (1 - B + B * lengths[number] / average) if average else K1
            for term, count in Counter(doc).items():
                postings.setdefault(term, []).append((number, count * (K1 + 1) / (count + norm)))
        self._idf = {
            term: math.log(1 + (self.size - len(found) + 0.5) / (len(found) + 0.5))
            for term, found in postings.items()
        }
        self._postings = Postings(postings)

    def __contains__(self, term: str) -> bool:
        return term in self._postings

    def terms(self) -> list[str]:
        return list(self._postings)

    def idf(self, term: str) -> float:
        return self._idf.get(term, 0.0)

    def scores(self, terms: Iterable[str]) -> list[float]:
        found = [0.0] * self.size
        for number, score in self.matches(terms).items():
            found[number] = score
        return found

    def matches(self, terms: Iterable[str]) -> dict[int, float]:
        """The scores of the documents holding any of the terms (the others score nothing)."""
        found: dict[int, float] = {}
        for term in dict.fromkeys(terms):
            idf = self._idf.get(term)
            if idf is None:
                continue
            for number, weight in self._postings.get(term):
                found[number] = found.get(number, 0.0) + idf * weight
        return found
