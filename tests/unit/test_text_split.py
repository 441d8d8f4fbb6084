import pytest

from bot.core.text_split import split_html, visible_length
from bot.emulator.html_check import parse_html


def test_short_text_is_one_piece() -> None:
    assert split_html("<b>通知</b>：明天停电") == ["<b>通知</b>：明天停电"]


def test_cuts_at_paragraphs_and_keeps_every_character() -> None:
    paragraph = "各位职工：" + "请大家注意安全生产。" * 150
    text = "\n\n".join([paragraph] * 4)
    pieces = split_html(text)
    assert all(visible_length(parse_html(p)) <= 4096 for p in pieces)
    assert all(p.endswith("。") for p in pieces)  # never mid-sentence
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_formatting_open_at_a_cut_is_closed_and_reopened() -> None:
    text = "<b>" + "重" * 5000 + "</b>"
    pieces = split_html(text, limit=4096)
    assert len(pieces) == 2
    for piece in pieces:
        parse_html(piece)  # valid HTML on its own
        assert piece.startswith("<b>") and piece.endswith("</b>")
    assert sum(visible_length(parse_html(p)) for p in pieces) == 5000


def test_entities_and_astral_characters_are_never_split() -> None:
    text = "&amp;😀" * 3000  # each emoji is two UTF-16 units
    pieces = split_html(text, limit=4096)
    for piece in pieces:
        assert visible_length(parse_html(piece)) <= 4096
        assert not piece.endswith("&")
    assert "".join(parse_html(p) for p in pieces) == "&😀" * 3000


@pytest.mark.parametrize("limit", [50, 1024])
def test_small_limits_for_captions(limit: int) -> None:
    text = "第一句话。第二句话比较长一些，有逗号。" * 40
    pieces = split_html(text, limit=limit)
    assert all(visible_length(p) <= limit for p in pieces)
    assert "".join(pieces) == text
