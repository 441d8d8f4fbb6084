"""The e2e tests' catalogue matching recognises a rendered template, and only it."""

from bot.emulator.html_check import parse_html
from bot.strings import t
from tests.e2e.catalogue import label, says


def test_a_rendered_template_is_recognised() -> None:
    text = parse_html(t("zh", "ack_count", confirmed=3, total=14))
    assert says(text, "ack_count")
    assert says(text, "ack_count", confirmed=3, total=14)
    assert not says(text, "ack_count", confirmed=4)
    assert not says(text, "button_expired")


def test_labels_are_plain_text() -> None:
    assert label("btn_ack") == parse_html(t("zh", "btn_ack"))
