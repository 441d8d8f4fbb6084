"""The catalogues agree, and every template is HTML Telegram accepts."""

import pytest

from bot.emulator.html_check import parse_html
from bot.strings import Html, catalogue, placeholders, t


def test_same_keys_and_placeholders() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert set(zh) == set(en)
    mismatched = [key for key in zh if placeholders(zh[key]) != placeholders(en[key])]
    assert mismatched == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_template_is_valid_telegram_html(lang: str) -> None:
    for key, template in catalogue(lang).items():  # type: ignore[arg-type]
        values = {name: "<x & y>" for name in placeholders(template)}
        rendered = t(lang, key, **values)  # type: ignore[arg-type]
        parse_html(rendered)


def test_values_are_escaped_unless_marked_safe() -> None:
    assert "&lt;b&gt;" in t("zh", "welcome_back", name="<b>")
    assert "<b>ok</b>" in t("zh", "confirm_intro", summary=Html("<b>ok</b>"))
