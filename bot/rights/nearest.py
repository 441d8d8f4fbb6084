"""The nearest phrasing: how close a question's own characters are to each way an entry is
asked, function words included. The search's terms drop 怎么算 and 几天 as noise, which is
right for ranking but loses what tells 「加班费怎么算」 (overtime pay) from other questions
about 加班费; a question typed as an entry's phrasing, or nearly, is that entry's.

Similarity is the Dice coefficient of character bigrams (of letters and digits, punctuation
and spaces dropped): 1.0 for the same text, about 0.7 for a word or two changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.rights.postings import Postings

_NOISE = re.compile(r"[^\w]+|_")
# Below this many characters a question is too short to tell phrasings apart by (工伤 is in
# dozens of them): its similarity counts for nothing.
SHORTEST = 4


def normal(text: str) -> str:
    return _NOISE.sub("", text.lower())


def grams(text: str) -> Counter[str]:
    plain = normal(text)
    if len(plain) < 2:
        return Counter([plain]) if plain else Counter()
    return Counter(plain[i : i + 2] for i in range(len(plain) - 1))


class Nearest:
    """Each entry's phrasings by their character bigrams, to find the closest to a question."""

    def __init__(self, phrasings: Sequence[Sequence[str]]) -> None:
        """`phrasings[i]` are entry i's phrasings."""
        self.size = len(phrasings)
        self._owner: list[int] = []
        self._length: list[int] = []
        postings: dict[str, list[tuple[int, int]]] = {}
        for owner, texts in enumerate(phrasings):
            for text in texts:
                counted = grams(text)
                if not counted:
                    continue
                number = len(self._owner)
                self._owner.append(owner)
                self._length.append(sum(counted.values()))
                for gram, count in counted.items():
                    postings.setdefault(gram, []).append((number, count))
        self._postings = Postings(postings)

    def similarity(self, text: str) -> list[float]:
        """Per entry, the similarity of its closest phrasing to the text (0 to 1)."""
        asked = grams(text)
        total = sum(asked.values())
        best = [0.0] * self.size
        if len(normal(text)) < SHORTEST:
            return best
        shared: dict[int, float] = {}
        for gram, count in asked.items():
            for number, there in self._postings.get(gram):
                shared[number] = shared.get(number, 0) + (there if there < count else count)
        owners, lengths = self._owner, self._length
        for number, overlap in shared.items():
            dice = 2 * overlap / (total + lengths[number])
            best[owners[number]] = max(best[owners[number]], dice)
        return best
