"""The packed postings the rights indexes are built on (bot/rights/postings.py)."""

from __future__ import annotations

import re

from bot.rights.entries import shipped
from bot.rights.lexicon import data_lines
from bot.rights.postings import Postings


def test_postings_give_back_each_terms_pairs_in_order() -> None:
    postings = Postings({"加班": [(3, 1.5), (0, 2.0)], "工资": [(7, 0.25)]})
    assert list(postings.get("加班")) == [(3, 1.5), (0, 2.0)]
    assert list(postings.get("工资")) == [(7, 0.25)]
    assert list(postings.get("天气")) == []
    assert "加班" in postings and "天气" not in postings
    assert sorted(postings) == ["加班", "工资"]


def test_every_character_the_shipped_texts_use_has_a_shipped_reading() -> None:
    """A character outside bot/rights/pinyin.txt makes the search load pypinyin's whole table
    (~7 MB) for it: none of the knowledge base's own texts may need that."""
    table = {line.split()[0] for line in data_lines("pinyin.txt")}
    used = {
        char
        for entry in shipped()
        for text in (*entry.questions, *entry.examples, entry.answer, entry.topic, *entry.tags)
        for char in text
        if re.match(r"[\u3400-\u9fff]", char)
    }
    assert used <= table, "".join(sorted(used - table))
