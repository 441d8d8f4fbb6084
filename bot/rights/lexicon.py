"""Turning a question into search terms: segmentation by the knowledge base's own word list,
synonyms (some only in context), typo and homophone tolerance, stopwords, and English.

One segmenter for the process, built once (off the event loop, at start) and shared. It reads
bot/rights/words.txt — the knowledge base's words plus jieba's common ones (dictionary.py) —
instead of jieba's full 500k-word dictionary, which cost the bot ~60 MB, and cuts with
segmenter.py instead of importing jieba (another ~20 MB).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

from bot.rights.negation import merge_negations
from bot.rights.segmenter import Segmenter
from bot.rights.typos import Pinyin

_LATIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")
_HAS_HAN = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()
# Amounts and durations (三个, 五年, 十二) say little about which entry is meant, and their
# parts (二个) only add noise.
_AMOUNT = r"[零一二三四五六七八九十百千万两几半多0-9.]+[个年月天日周号岁次块元]?"
_NUMERAL = re.compile(rf"^(?:{_AMOUNT}|[个年月天])$")
_QUANTITY = re.compile(rf"^{_AMOUNT}$")
# A word jieba knows this often is a real word, not a typo to correct.
REAL_WORD_FREQUENCY = 500


def data_lines(name: str) -> list[str]:
    text = resources.files("bot.rights").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


# English phrases that mean more than their words: a negated payment is arrears, overtime
# pay is not overtime hours.
_EN_PHRASES = (
    (re.compile(r"(?:n'?t|\bnot|\bnever)\s+(?:been\s+)?(?:paid|pay|paying|pays)\s+"
                r"(?:me\s+|us\s+|him\s+|her\s+)?(?:for\s+)?(?:the\s+|my\s+|our\s+|any\s+)?"
                r"(?:overtime|extra\s+hours)\b"), " unpaid overtimepay "),
    (re.compile(r"\b(?:has|have|had|did|does|do|was|were|is|are)?\s*(?:n'?t|not|never)\s+"
                r"(?:been\s+|yet\s+|even\s+)?(?:paid|pay|paying|pays)\b"), " unpaid "),
    (re.compile(r"\bno\s+(?:pay|salary|wages?)\b"), " unpaid "),
    (re.compile(r"\bunpaid\s+overtime\b"), " unpaid overtimepay "),
    (re.compile(r"\bovertime\s+(?:pay|wages?|rate|money|compensation)\b"), " overtimepay "),
    (re.compile(r"\bpaid\s+overtime\b|\bpay\s+(?:for\s+)?overtime\b"), " overtimepay "),
    (re.compile(r"\bnon[\s-]+compete\b"), " noncompete "),
    (re.compile(r"\blet\s+(?:me|him|her|us|them)\s+(?:leave|go|quit|resign)\b"), " letmeleave "),
    (re.compile(r"\b(?:let|letting)\s+(?:me|him|her|us|them)?\s*go\b|\blaid\s+off\b"), " letgo "),
    (re.compile(r"\bextra\s+(?:pay|money|wages?)\b"), " overtimepay "),
    (re.compile(r"\bdays?\s+off\b|\brest\s+days?\b|\bday\s+of\s+rest\b"), " restday "),
    (re.compile(r"\b(?:minimum|legal)\s+(?:working\s+)?age\b|\bunder\s+1[68]\b"
                r"|\byoung\s+workers?\b"), " underage "),
    (re.compile(r"\bpass(?:ed|es|ing)?\s+away\b"), " died "),
    (re.compile(r"\bnational\s+day\b"), " nationalday "),
    (re.compile(r"\bspring\s+festival\b|\bchinese\s+new\s+year\b"), " springfestival "),
)  # fmt: skip


# A separable verb split by what it counts is still the verb (加了一天班 is 加班).
_SPLIT_OVERTIME = re.compile(
    r"加[了过]?[0-9一二两三四五六七八九十几半多个]*(?:天|晚上|晚|夜|宿|小时|钟头|通宵)?的?班"
)


def english_phrases(text: str) -> str:
    """English phrases that mean more than their words, and a split 加…班, as one term."""
    for pattern, replacement in _EN_PHRASES:
        text = pattern.sub(replacement, text)
    return _SPLIT_OVERTIME.sub("加班", text)


_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"), ("ied", "y"), ("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""),
    ("es", "e"), ("es", ""), ("s", ""),
)  # fmt: skip


def stems(word: str) -> list[str]:
    """A word and the forms it may be inflected from (fired → fire, fir; wages → wage)."""
    found = [word]
    for suffix, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            found.append(word[: -len(suffix)] + keep)
    return found


def stem(word: str) -> str:
    """A crude English stemmer, for words no synonym names: the shortest plausible base."""
    return stems(word)[-1]


class Lexicon:
    """Segments a question and maps every word to the one the knowledge base is indexed by."""

    def __init__(
        self,
        synonym_groups: Iterable[list[str]],
        stopwords: Iterable[str],
        contexts: Iterable[tuple[str, str, list[str]]],
        dictionary: Path,
        pinyin: dict[str, list[str]] | None = None,
    ) -> None:
        self.canonical: dict[str, str] = {}
        self._tokenizer = Segmenter.load(dictionary)
        self.pinyin = Pinyin(pinyin or {})
        for group in synonym_groups:
            for word in group:
                self._fold_as(word, group[0])
        # A contextual word means its canonical only beside one of its context words
        # (周末 is a rest day next to 加班, not in 周末去哪里玩).
        self.contexts = {word: (canonical, set(near)) for word, canonical, near in contexts}
        for word in self.contexts:
            self._tokenizer.add_word(word, freq=200_000)
        self.stopwords = frozenset(word.lower() for word in stopwords)
        # Single characters the phrasings are indexed by (罚, 休, 扣): kept when asked.
        self.known: set[str] = set()
        self.single_stopwords = frozenset(w for w in self.stopwords if len(w) == 1)
        # Typos are read as the word a synonym group is searched by (加斑费 and 加班费 are one).
        self.pinyin.learn({w for w in self.canonical.values() if _HAS_HAN.search(w)})

    def _fold_as(self, word: str, canonical: str) -> None:
        self.canonical.setdefault(word.lower(), canonical.lower())
        if _HAS_HAN.search(word):
            # High frequency: the union's terms win over jieba's general-language cuts.
            self._tokenizer.add_word(word, freq=200_000)

    def note_singles(self, texts: Iterable[str]) -> None:
        """Single characters the entries' phrasings use (休, 扣, 罚): kept in questions, while
        other lone characters (an unknown word cut to pieces) are dropped as noise."""
        with _lock:
            for text in texts:
                self.known.update(
                    p
                    for p in self._tokenizer.cut(text.lower())
                    if len(p) == 1 and self._joinable(p)
                )

    def typo_targets(self, terms: Iterable[str]) -> None:
        """Indexed terms a typo may stand for: real words only (not odd cuts like 制是)."""
        known = self._tokenizer.freq
        with _lock:
            self.pinyin.learn([t for t in terms if t in self.canonical or known.get(t, 0) >= 100])

    def learn(self, words: Iterable[str]) -> None:
        """Words of the entries in force (a cadre's new ones too): kept whole by the
        segmenter and targets of typo correction."""
        with _lock:
            for word in words:
                if _HAS_HAN.search(word) and 2 <= len(word) <= 6:
                    if word not in self._tokenizer.freq:
                        self._tokenizer.add_word(word, freq=2_000)
                    self.pinyin.learn([word])

    def terms(self, text: str) -> list[str]:
        """Search terms of a text: its words with synonyms folded and no stopwords; a long
        word the union's list does not know also gives its known parts (车间主任 → 车间, 主任)."""
        return [term for group in self.words(text) for term in group]

    def corrected(self, text: str) -> str:
        """The Chinese text as typed, with its typos read as the words meant (加班废怎么算 →
        加班费怎么算): what the nearest phrasing is looked for by."""
        if not _HAS_HAN.search(text):
            return text
        with _lock:
            return "".join(self._corrected([p.strip() for p in self._tokenizer.cut(text.lower())]))

    def words(self, text: str) -> list[list[str]]:
        """The text's meaningful words, each with the parts it is also searched by."""
        with _lock:  # learn() may add words from another thread while a question is cut
            lowered = english_phrases(text.lower())
            pieces = self._corrected([p.strip() for p in self._tokenizer.cut(lowered)])
            pieces = merge_negations(pieces)
            groups: list[list[str]] = []
            for piece in pieces:
                if not _HAS_HAN.search(piece):
                    groups += [[term] for term in self._fold_latin(_LATIN.findall(piece))]
                    continue
                if len(piece) == 1 and piece not in self.canonical and piece not in self.known:
                    continue  # a lone character the knowledge base has no use for is noise
                group = self._fold([piece])
                if piece not in self.canonical and piece not in self.contexts and len(piece) > 2:
                    group += self._fold(self._parts(piece))
                if group:
                    groups.append(group)
        return self._in_context(groups)

    def _in_context(self, groups: list[list[str]]) -> list[list[str]]:
        present = {term for group in groups for term in group}
        return [[self._contextual(term, present) for term in group] for group in groups if group]

    def _contextual(self, term: str, present: set[str]) -> str:
        rule = self.contexts.get(term)
        if rule is None:
            return term
        canonical, near = rule
        return canonical if near & present else term

    def _corrected(self, pieces: list[str]) -> list[str]:
        """Pieces with typos read as the known word they stand for. Unknown pieces are taken
        as one run with their neighbours, since the segmenter splits an unknown word in odd
        places (加班废 → 加班 + 废, 年价有几天 → 年 + 价有 + 几天)."""
        out: list[str] = []
        i = 0
        while i < len(pieces):
            if not self._suspect(pieces[i]):
                out.append(pieces[i])
                i += 1
                continue
            j = i
            while j < len(pieces) and self._suspect(pieces[j]):
                j += 1
            left = out.pop() if out and self._joinable(out[-1]) else ""
            right = pieces[j] if j < len(pieces) and self._joinable(pieces[j]) else ""
            run = pieces[i:j]
            span = (len(left), len(left) + sum(map(len, run)))
            out += self._fix_run([p for p in (left, *run, right) if p], span)
            i = j + bool(right)
        return out

    def _joinable(self, piece: str) -> bool:
        return (
            bool(_HAS_HAN.search(piece))
            and piece not in self.stopwords
            and not _QUANTITY.match(piece)
        )

    def _fix_run(self, pieces: list[str], span: tuple[int, int]) -> list[str]:
        """The run with every window of 4, 3 or 2 characters that stands for a known word
        replaced by it, if the window holds a suspect character (inside `span`: the known
        neighbours only lend context); the rest keeps its original cuts."""
        text = "".join(pieces)
        cuts = {0, len(text)}
        at = 0
        for piece in pieces:
            at += len(piece)
            cuts.add(at)
        out: list[str] = []
        last = position = 0
        while position < len(text):
            for size in (4, 3, 2):
                window = text[position : position + size]
                overlaps = position < span[1] and position + size > span[0]
                found = len(window) == size and overlaps and self.pinyin.correct(window)
                if found:
                    out += _cut(text[last:position], cuts, last)
                    out.append(found)
                    position = last = position + size
                    break
            else:
                position += 1
        return out + _cut(text[last:], cuts, last)

    def _suspect(self, piece: str) -> bool:
        if not self._joinable(piece):
            return False
        if piece in self.canonical or piece in self.contexts or piece in self.pinyin.known:
            return False
        return len(piece) == 1 or self._tokenizer.freq.get(piece, 0) < REAL_WORD_FREQUENCY

    def _parts(self, word: str) -> list[str]:
        known = self._tokenizer.freq
        return [
            word[i : i + size]
            for size in (2, 3)
            if size < len(word)
            for i in range(len(word) - size + 1)
            if known.get(word[i : i + size])
        ]

    def _fold(self, words: Iterable[str]) -> list[str]:
        # A synonym list's word stays though it reads as a number: 五一 is a holiday.
        return [
            self.canonical.get(w, w)
            for w in words
            if w not in self.stopwords and (w in self.canonical or not _NUMERAL.match(w))
        ]

    def _fold_latin(self, words: Iterable[str]) -> list[str]:
        folded = []
        for word in words:
            if word in self.stopwords:
                continue
            forms = stems(word)
            known = next((self.canonical[f] for f in forms if f in self.canonical), None)
            base = known or forms[-1]
            if base not in self.stopwords:
                folded.append(base)
        return folded


def _cut(text: str, cuts: set[int], offset: int) -> list[str]:
    """A stretch of text split again where the segmenter had cut it."""
    marks = sorted({0, len(text)} | {c - offset for c in cuts if 0 < c - offset < len(text)})
    return [text[a:b] for a, b in itertools.pairwise(marks) if text[a:b]]


def _contexts() -> list[tuple[str, str, list[str]]]:
    rules = []
    for line in data_lines("contexts.txt"):
        head, _, near = line.partition(":")
        word, canonical = head.split()
        rules.append((word, canonical, near.split()))
    return rules


def _pinyin_table() -> dict[str, list[str]]:
    return {
        line.split()[0]: line.split()[1].split(",")
        for line in data_lines("pinyin.txt")
        if len(line.split()) == 2
    }


@cache
def lexicon() -> Lexicon:
    """The process's lexicon, built from the data shipped with the package."""
    groups = [line.split() for line in data_lines("synonyms.txt")]
    stopwords = [word for line in data_lines("stopwords.txt") for word in line.split()]
    words = Path(str(resources.files("bot.rights").joinpath("words.txt")))
    return Lexicon(groups, stopwords, _contexts(), dictionary=words, pinyin=_pinyin_table())
