"""What a member sees, pure: every answer fits a phone screen, its bottom line first in bold,
the law on one line; a negated verb is one term; the nearest phrasing."""

from __future__ import annotations

import pytest

from bot.core.keyboard import Keyboard
from bot.rights.answers import render
from bot.rights.callbacks import ChoicePress, HandoffPress, HelpfulPress, TaskPress
from bot.rights.entries import shipped
from bot.rights.lexicon import lexicon
from bot.rights.nearest import Nearest
from bot.rights.negation import merge_negations
from bot.rights.search import Index
from bot.rights.views import (
    SCREEN_LINES,
    Reply,
    bottom_line,
    cited,
    not_rights,
    not_sure,
    screen_lines,
    which_one,
)
from bot.strings import Html, Lang


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(shipped(), lexicon())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_answer_fits_one_phone_screen(index: Index, lang: Lang) -> None:
    too_long = []
    for entry in index.entries:
        reply = render(entry, lang, 1, index.related(entry))
        if screen_lines(reply) > SCREEN_LINES:
            too_long.append((entry.id, screen_lines(reply)))
    assert too_long == []


def test_screen_lines_count_wrapped_lines_and_button_rows() -> None:
    assert screen_lines(Reply(Html("一" * 19), Keyboard(()))) == 1
    assert screen_lines(Reply(Html("一" * 20), Keyboard(()))) == 2
    assert screen_lines(Reply(Html("a" * 38 + "\n\n<b>x</b>"), Keyboard(()))) == 3
    assert screen_lines(not_rights("zh")) > screen_lines(Reply(Html(""), Keyboard(())))


def test_the_bottom_line_comes_first_in_bold_and_the_help_is_one_short_line(
    index: Index,
) -> None:
    reply = render(index.by_id["probation-dismissal"], "zh", 7, [])
    assert "<b>不能随便辞退。</b>试用期内" in reply.text
    assert reply.text.count("12351") == 1 and "仲裁委员会申请仲裁（免费）" not in reply.text
    assert "⚖️ 依据：《劳动合同法》第二十一条、第三十九条、第四十条、第八十七条" in reply.text
    [first, *_] = reply.keyboard.rows
    assert [type(b.data) for b in first] == [HelpfulPress, HelpfulPress, HandoffPress]
    assert reply.answer


def test_citations_name_each_statute_once() -> None:
    assert cited(
        ("《劳动合同法》第三十八条", "《劳动法》第三十二条", "《劳动合同法》第四十六条")
    ) == ("《劳动合同法》第三十八条、第四十六条；《劳动法》第三十二条")
    assert cited(("《关于国营企业职工请婚丧假和路程假问题的通知》",)) == (
        "《关于国营企业职工请婚丧假和路程假问题的通知》"
    )


def test_the_bottom_line_is_the_first_sentence() -> None:
    assert bottom_line("不能。单位不得辞退。") == ("不能。", "单位不得辞退。")
    assert bottom_line("No. It may not.") == ("No.", " It may not.")
    assert bottom_line("加班费按小时工资乘以倍数计算：") == ("加班费按小时工资乘以倍数计算：", "")


def test_the_question_back_and_the_near_matches_carry_the_question_and_the_union() -> None:
    which = which_one(5, "en", [("annual-leave", "Annual leave"), ("annual-leave-on-leaving", "x")])
    presses = [b.data for row in which.keyboard.rows for b in row]
    assert [p for p in presses if isinstance(p, ChoicePress)] == [
        ChoicePress(question_id=5, entry_id="annual-leave", english=True),
        ChoicePress(question_id=5, entry_id="annual-leave-on-leaving", english=True),
    ]
    assert isinstance(presses[-1], HandoffPress) and not which.answer
    unsure = not_sure(6, "zh", [])
    assert [type(b.data) for row in unsure.keyboard.rows for b in row] == [HandoffPress]
    outside = not_rights("zh")
    assert all(isinstance(b.data, TaskPress) for row in outside.keyboard.rows for b in row)


@pytest.mark.parametrize(
    ("pieces", "merged"),
    [
        (["工资", "都", "没", "发"], ["工资", "都", "没发"]),
        (["没", "给", "我", "交", "五险"], ["没交", "五险"]),
        (["公司", "不", "给", "工资条"], ["公司", "没给", "工资条"]),
        (["押金", "不", "退"], ["押金", "没退"]),
        (["不", "想", "加班"], ["不", "想", "加班"]),  # not a negated complaint
    ],
)
def test_a_negated_verb_is_one_term(pieces: list[str], merged: list[str]) -> None:
    assert merge_negations(pieces) == merged


def test_the_nearest_phrasing_counts_function_words() -> None:
    near = Nearest([["加班费怎么算", "加班费给多少"], ["合同写了工资包含加班费"]])
    exact, other = near.similarity("加班费怎么算？")
    assert exact == 1.0 and other < 0.5
    assert near.similarity("") == [0.0, 0.0]
    assert 0.5 < near.similarity("加班费怎么计算")[0] < 1.0
