"""Typo and homophone tolerance: a word the knowledge base does not know, typed with the same
pinyin as one it does (社宝 → 社保, 工伤人定 → 认定, 辞推 → 辞退), or one character off a long
word it knows (试用斯 → 试用期), is read as that word.

Pinyin comes from bot/rights/pinyin.txt (generated with the word list, see dictionary.py): a
small table instead of pypinyin's ~50 MB of phrase data. Readings are compared loosely, as
input methods and regional accents confuse them: zh/z, ch/c, sh/s, and -ng/-n.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from functools import cache

_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))
MAX_WORD = 4
# A known word followed or preceded by one of these is that word in a phrase (离职时 is 离职
# at the time), not a typo of a longer word (离职证).
_FUNCTION_CHARS = frozenset("时后前中里上下内外的了吗呢啊吧着过和与跟被把给让在是有没不也都就还又")


def loose(syllable: str) -> str:
    for long, short in _INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FINALS:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


def _final(syllable: str) -> str:
    syllable = loose(syllable)
    for initial in ("z", "c", "s", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j"):
        if syllable.startswith(initial) and len(syllable) > 1:
            return syllable[1:]
    return syllable.lstrip("qxryw") or syllable


@cache
def _pypinyin_table() -> dict[int, str]:
    """pypinyin's single-character table, loaded without the package (whose import loads its
    phrase dictionary): only for characters the shipped table lacks (a cadre's new word)."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return {}
    path = os.path.join(os.path.dirname(spec.origin), "pinyin_dict.py")
    loader_spec = importlib.util.spec_from_file_location("_ub_pinyin_dict", path)
    if loader_spec is None or loader_spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    table: dict[int, str] = module.pinyin_dict
    return table


_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


class Pinyin:
    """Loose pinyin keys of words, and the known words each key stands for."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self._table = table
        self._by_key: dict[str, str | None] = {}  # None: two known words share the key
        self._by_stem: dict[str, str | None] = {}
        self.known: set[str] = set()

    def readings(self, char: str) -> list[str]:
        found = self._table.get(char)
        if found is None:
            raw = _pypinyin_table().get(ord(char), "")
            found = list(dict.fromkeys(r.translate(_TONES) for r in raw.split(",") if r))
            self._table[char] = found
        return found

    def keys(self, word: str) -> list[str]:
        """The word's loose pinyin, each character by its most common reading: rare readings
        (月 as ru) made unrelated words collide."""
        readings = [self.readings(c) for c in word]
        if not all(readings):
            return []
        return [" ".join(loose(r[0]) for r in readings)]

    def learn(self, words: Iterable[str]) -> None:
        for word in words:
            if word in self.known or not 2 <= len(word) <= MAX_WORD:
                continue
            self.known.add(word)
            for key in self.keys(word):
                self._claim(self._by_key, key, word)
            if len(word) >= 3:  # one character off a long word: its other characters decide
                self._claim(self._by_stem, word[:-1] + "\u2026", word)
                self._claim(self._by_stem, "\u2026" + word[1:], word)

    def _rhymes(self, one: str, other: str) -> bool:
        """Two characters share a final (斯 si, 期 qi): a slip of the input method."""
        finals = {_final(r) for r in self.readings(one)}
        return any(_final(r) in finals for r in self.readings(other))

    @staticmethod
    def _claim(index: dict[str, str | None], key: str, word: str) -> None:
        index[key] = word if index.get(key, word) == word else None

    def correct(self, text: str) -> str | None:
        """The known word an unknown text stands for, if exactly one does."""
        if text in self.known or not 2 <= len(text) <= MAX_WORD:
            return None
        for key in self.keys(text):
            found = self._by_key.get(key)
            # A slip changes one character; two different ones are another word (写一 is
            # not 协议).
            if found and sum(a != b for a, b in zip(text, found, strict=True)) <= 1:
                return found
        if len(text) >= 3:
            ends = ((-1, text[:-1] + "\u2026"), (0, "\u2026" + text[1:]))
            for at, stem in ends:
                found = self._by_stem.get(stem)
                if found and text[at] not in _FUNCTION_CHARS and self._rhymes(text[at], found[at]):
                    return found
        return None
