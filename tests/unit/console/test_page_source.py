"""The console's page and script: every text it asks for is in both catalogues, no value is
ever put on the page as markup except the two texts the server has made safe, and nothing is
loaded from anywhere but the console itself (and Telegram's own script in production)."""

import re
from importlib import resources

from bot.console.me import texts
from bot.console.routes import SECURITY_HEADERS
from bot.console.settings import TELEGRAM_JS, ConsoleConfig
from bot.strings import catalogue

STATIC = resources.files("bot.console").joinpath("static")
SCRIPT = STATIC.joinpath("console.js").read_text(encoding="utf-8")
PAGE = STATIC.joinpath("console.html").read_text(encoding="utf-8")
DYNAMIC = {  # keys the script completes at run time, each listed here in full
    "console_role_": ["member", "cadre", "admin", "guest"],
    "console_outcome_": ["create", "update", "keep"],
    "console_chart_alt_": ["cases", "notices", "activities", "care", "members"],
}


def _keys() -> set[str]:
    written = set(re.findall(r'"(console_[a-z_]+)"', SCRIPT))
    written |= set(re.findall(r"S\.(console_[a-z_]+)", SCRIPT))
    for prefix, ends in DYNAMIC.items():
        written.discard(prefix)
        written |= {prefix + end for end in ends}
    return written


def test_every_text_the_script_asks_for_is_in_both_catalogues() -> None:
    keys = _keys()
    assert len(keys) > 100
    for lang in ("zh", "en"):
        missing = sorted(keys - set(catalogue(lang)))  # type: ignore[arg-type]
        assert missing == [], lang
        assert keys <= set(texts(lang))  # type: ignore[arg-type]


def test_markup_only_where_the_server_made_it_safe() -> None:
    uses = re.findall(r"(\w+)\.innerHTML = ([\w.]+);", SCRIPT)
    assert uses == [("body", "part.html"), ("text", "c.text")]
    assert "insertAdjacentHTML" not in SCRIPT and "document.write" not in SCRIPT
    assert "eval(" not in SCRIPT and "new Function" not in SCRIPT


def test_nothing_is_loaded_from_elsewhere() -> None:
    assert re.findall(r"https?://", PAGE) == []
    assert "__TELEGRAM_JS__" in PAGE and "<script>" not in PAGE  # no inline script
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert ConsoleConfig().telegram_js == TELEGRAM_JS
    assert ConsoleConfig(standin_js=True).telegram_js == "telegram-web-app.js"
