"""The one-message form cadres edit entries in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.rights.editor import form, parse
from bot.rights.entries import EntryError, shipped


def test_a_shipped_entry_survives_the_form_round_trip() -> None:
    # The form holds what a cadre edits: the subject area and the examples the search learns
    # from stay the shipped entry's (bot/rights/library.py overlay).
    for entry in shipped():
        expected = replace(entry, section="", examples=(), examples_en=())
        assert parse(form(entry), entry_id=entry.id) == expected


def test_a_multi_line_answer_and_several_citations_are_read() -> None:
    entry = parse(
        "问：夜班补贴多少\nQ: 夜班费怎么发\n答：每晚 30 元。\n按月随工资发。\n"
        "依据：《劳动法》第四十四条；《集体合同》\n标签：夜班、补贴",
        entry_id="union-1",
    )
    assert entry.questions == ("夜班补贴多少", "夜班费怎么发")
    assert entry.answer == "每晚 30 元。\n按月随工资发。"
    assert entry.citations == ("《劳动法》第四十四条", "《集体合同》")
    assert entry.tags == ("夜班", "补贴") and entry.topic == "夜班补贴多少"


def test_no_statute_must_be_said_in_so_many_words() -> None:
    assert parse("问：班车几点\n答：7:10 发车。\n依据：无", entry_id="u").citations == ()
    with pytest.raises(EntryError) as error:
        parse("问：班车几点\n答：7:10 发车。\n依据：", entry_id="u")
    assert error.value.key == "kb_needs_citation"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("答：有。\n依据：无", "kb_needs_question"),
        ("问：有吗\n依据：无", "kb_needs_answer"),
        ("问：有吗\n答：有。\n依据：劳动法第44条", "kb_bad_citation"),
        ("随便写一行\n问：有吗\n答：有。\n依据：无", "kb_form_stray_line"),
        ("问：有吗\n答：有。\n依据：无\n英文问：Is there?", "kb_needs_both_english"),
    ],
)
def test_a_bad_form_names_what_to_fix(text: str, key: str) -> None:
    with pytest.raises(EntryError) as error:
        parse(text, entry_id="u")
    assert error.value.key == key
