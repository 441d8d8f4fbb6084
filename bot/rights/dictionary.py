"""The segmenter's word list and the pinyin table, generated from the knowledge base.

jieba's full dictionary (~500k words) costs the bot ~60 MB of memory; the knowledge base needs
only its own words and the common ones. `python -m bot.rights.dictionary` writes
bot/rights/words.txt — every word the shipped entries and synonym lists are cut into with the
full dictionary, plus jieba's words of frequency ≥ 100 (not the examples' words: their slang
and small talk, cut whole, made the off-topic questions look like rights questions) — and
bot/rights/pinyin.txt, the readings of every character in it and of GB 2312's (for typo and
homophone tolerance). Run it after changing
the shipped entries; words cadres add at run time join when the index is rebuilt
(Lexicon.learn).
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path

COMMON_FREQUENCY = 100
KB_FREQUENCY = 2000  # a KB word jieba does not know: frequent enough to be kept whole
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]+$")
HERE = Path(__file__).resolve().parent


def full_dictionary() -> dict[str, int]:
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    words: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            words[parts[0]] = int(parts[1])
    return words


def knowledge_base_words() -> set[str]:
    """Words of the shipped entries and synonym lists, cut with jieba's full dictionary."""
    import jieba

    from bot.rights.entries import shipped
    from bot.rights.lexicon import data_lines

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    words = {w for line in data_lines("synonyms.txt") for w in line.split() if _HAN_WORD.match(w)}
    words |= {
        w.split()[0] for line in data_lines("contexts.txt") for w in line.split(":") if w.strip()
    }
    for entry in shipped():
        texts = [*entry.questions, entry.answer, entry.topic, *entry.tags]
        for text in texts:
            words.update(
                w for w in tokenizer.cut(text, HMM=False) if len(w) > 1 and _HAN_WORD.match(w)
            )
    return {w for w in words if _HAN_WORD.match(w)}


def common_characters() -> set[str]:
    """The 6,763 characters of GB 2312: a question's character outside the table makes the
    search load pypinyin's whole table (~7 MB) for one reading."""
    found = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return {c for c in found if _HAN_WORD.match(c)}


def readings(chars: set[str]) -> dict[str, list[str]]:
    """Toneless pinyin readings of each character, the most common first."""
    from pypinyin import Style, pinyin

    return {c: list(dict.fromkeys(pinyin(c, style=Style.NORMAL, heteronym=True)[0])) for c in chars}


def generate(folder: Path = HERE) -> tuple[int, int]:
    full = full_dictionary()
    kept = {w: f for w, f in full.items() if f >= COMMON_FREQUENCY}
    for word in knowledge_base_words():
        kept[word] = max(full.get(word, KB_FREQUENCY), kept.get(word, 0))
    lines = [f"{word} {freq}" for word, freq in sorted(kept.items())]
    (folder / "words.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    chars = {c for word in kept for c in word if _HAN_WORD.match(c)} | common_characters()
    table = readings(chars)
    rows = [f"{c} {','.join(table[c])}" for c in sorted(table)]
    (folder / "pinyin.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(lines), len(rows)


if __name__ == "__main__":
    words, chars = generate()
    print(f"bot/rights/words.txt: {words} words; bot/rights/pinyin.txt: {chars} characters")
