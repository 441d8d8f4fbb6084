"""Postings lists packed into flat arrays: for each term, the documents (or classes) that hold
it with a number each. The knowledge base's indexes hold some 200,000 such pairs; as Python
lists of tuples they took ~30 MB, packed they take a tenth of it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence


class Postings:
    """Read-only term → [(number, value), …], in the order they were given."""

    def __init__(self, lists: Mapping[str, Sequence[tuple[int, float]]]) -> None:
        self._slot: dict[str, int] = {}
        self._offsets = array("I", [0])
        self._numbers = array("I")
        self._values = array("d")
        for term, pairs in lists.items():
            self._slot[term] = len(self._offsets) - 1
            for number, value in pairs:
                self._numbers.append(number)
                self._values.append(value)
            self._offsets.append(len(self._numbers))

    def __contains__(self, term: object) -> bool:
        return term in self._slot

    def __iter__(self) -> Iterator[str]:
        return iter(self._slot)

    def get(self, term: str) -> Iterator[tuple[int, float]]:
        """The term's (number, value) pairs; none for an unknown term."""
        slot = self._slot.get(term)
        if slot is None:
            return iter(())
        start, end = self._offsets[slot], self._offsets[slot + 1]
        return zip(self._numbers[start:end], self._values[start:end], strict=True)
