"""Chinese word segmentation over the knowledge base's word list: the most probable cut by
word frequencies, as jieba does it (a DAG of dictionary words, best route by dynamic
programming), without jieba's import (~20 MB and 0.15 s for its HMM tables at start).

Without the HMM an unknown word comes out as single characters; the typo pass (typos.py)
joins such runs back into the word they stand for.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

_BLOCKS = re.compile(r"([\u3400-\u9fff]+|[a-zA-Z0-9+#&._%-]+)")
MAX_WORD = 8


class Segmenter:
    """Cuts text into words; `freq` holds the word list, `add_word` extends it."""

    def __init__(self, freq: dict[str, int]) -> None:
        self.freq = freq
        self._total = sum(freq.values()) or 1
        self._longest = min(MAX_WORD, max((len(w) for w in freq), default=1))

    @classmethod
    def load(cls, path: Path) -> Segmenter:
        freq: dict[str, int] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])
        return cls(freq)

    def add_word(self, word: str, freq: int) -> None:
        self._total += freq - self.freq.get(word, 0)
        self.freq[word] = freq
        self._longest = max(self._longest, min(MAX_WORD, len(word)))

    def cut(self, text: str) -> list[str]:
        pieces: list[str] = []
        for block in _BLOCKS.split(text):
            if not block:
                continue
            if "\u3400" <= block[0] <= "\u9fff":
                pieces += self._cut_han(block)
            elif _BLOCKS.fullmatch(block):
                pieces.append(block)
            else:
                pieces += list(block)
        return pieces

    def _cut_han(self, text: str) -> list[str]:
        """The route through the text whose words are jointly most probable."""
        size = len(text)
        log_total = math.log(self._total)
        best: list[tuple[float, int]] = [(0.0, 0)] * (size + 1)
        for start in range(size - 1, -1, -1):
            choices = []
            for end in range(start + 1, min(size, start + self._longest) + 1):
                word = text[start:end]
                freq = self.freq.get(word)
                if freq or end == start + 1:
                    weight = math.log(freq or 1) - log_total
                    choices.append((weight + best[end][0], end))
            best[start] = max(choices)
        words, at = [], 0
        while at < size:
            end = best[at][1]
            words.append(text[at:end])
            at = end
        return words
