"""Small talk and giving up are recognised only as whole messages."""

from __future__ import annotations

import pytest

from bot.core.small_talk import Chat, QuitPress, quitting, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("你好", Chat.HELLO),
        ("您好！", Chat.HELLO),
        ("Hi!", Chat.HELLO),
        ("hello there", Chat.HELLO),
        ("谢谢你啊", Chat.THANKS),
        ("Thank you so much", Chat.THANKS),
        ("在吗？", Chat.THERE),
        ("有人吗", Chat.THERE),
        ("早上好", Chat.MORNING),
        ("晚安", Chat.NIGHT),
        ("好的", Chat.BYE),
    ],
)
def test_small_talk(text: str, kind: Chat) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    ["你好，加班费怎么算", "加班费", "hi, how is overtime paid?", "", "谢谢工会帮我要回了工资"],
)
def test_a_question_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None


@pytest.mark.parametrize(
    "text",
    ["算了不想说了", "不想说了", "算了", "不弄了", "算了吧", "算了，不想说了。", "never mind"],
)
def test_giving_up(text: str) -> None:
    assert quitting(text)


@pytest.mark.parametrize(
    "text", ["我算了一下加班费不对", "不想加班", "没事，就是想问问", "取消加班的规定"]
)
def test_details_that_mention_giving_up_are_not_giving_up(text: str) -> None:
    assert not quitting(text)


def test_the_quit_press_names_its_flow() -> None:
    assert QuitPress.parse(QuitPress(flow="report", confirm=True).pack()) == QuitPress(
        "report", True
    )
