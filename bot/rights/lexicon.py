"""Turning a question into search terms: jieba with the union's words, synonyms, stopwords.

One segmenter for the process: jieba's dictionary takes about half a second to load, so it is
built once (off the event loop, at start) and shared.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from functools import cache
from importlib import resources

import jieba

jieba.setLogLevel(logging.WARNING)

_LATIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")
_HAS_HAN = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()


def _data_lines(name: str) -> list[str]:
    text = resources.files("bot.rights").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


class Lexicon:
    """Segments a question and maps every word to the one the knowledge base is indexed by."""

    def __init__(self, synonym_groups: Iterable[list[str]], stopwords: Iterable[str]) -> None:
        self.canonical: dict[str, str] = {}
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        for group in synonym_groups:
            for word in group:
                self.canonical.setdefault(word.lower(), group[0].lower())
                if _HAS_HAN.search(word):
                    # High frequency: the union's terms win over jieba's general-language cuts.
                    self._tokenizer.add_word(word, freq=200_000)
        self.stopwords = frozenset(word.lower() for word in stopwords)

    def terms(self, text: str) -> list[str]:
        """Search terms of a text: its words with synonyms folded and no stopwords; a long
        word the union's list does not know also gives its known parts (车间主任 → 车间, 主任)."""
        return [term for group in self.words(text) for term in group]

    def words(self, text: str) -> list[list[str]]:
        """The text's meaningful words, each with the parts it is also searched by."""
        with _lock:  # jieba's tokenizer is not safe to share between threads while it loads
            pieces = [piece.strip() for piece in self._tokenizer.cut(text.lower())]
            groups: list[list[str]] = []
            for piece in pieces:
                if not piece:
                    continue
                if not _HAS_HAN.search(piece):
                    groups += [[term] for term in self._fold(_LATIN.findall(piece))]
                    continue
                group = self._fold([piece])
                if piece not in self.canonical and len(piece) > 2:
                    group += self._fold(self._parts(piece))
                if group:
                    groups.append(group)
        return groups

    def _parts(self, word: str) -> list[str]:
        known = self._tokenizer.FREQ
        return [
            word[i : i + size]
            for size in (2, 3)
            if size < len(word)
            for i in range(len(word) - size + 1)
            if known.get(word[i : i + size])
        ]

    def _fold(self, words: Iterable[str]) -> list[str]:
        return [self.canonical.get(w, w) for w in words if w not in self.stopwords]


@cache
def lexicon() -> Lexicon:
    """The process's lexicon, built from the data shipped with the package."""
    groups = [line.split() for line in _data_lines("synonyms.txt")]
    stopwords = [word for line in _data_lines("stopwords.txt") for word in line.split()]
    return Lexicon(groups, stopwords)
