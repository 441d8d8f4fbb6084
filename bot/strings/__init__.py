"""The catalogue of every user-visible text: zh (default) and en, HTML parse mode."""

from __future__ import annotations

import html
import string
import tomllib
from functools import cache
from importlib import resources
from typing import Literal

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")


class Html(str):
    """A value that is already safe HTML (built from the catalogue); it is not escaped again."""

    __slots__ = ()


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    raw = resources.files(__package__).joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def normalise_lang(code: str | None, default: Lang = "zh") -> Lang:
    """Map a Telegram language_code (en-GB, zh-hans, …) onto a catalogue language."""
    if code is None:
        return default
    if code.lower().startswith("en"):
        return "en"
    if code.lower().startswith("zh"):
        return "zh"
    return default


def t(lang: Lang, key: str, **params: object) -> Html:
    """The text for key in lang, with every parameter HTML-escaped unless it is Html."""
    template = catalogue(lang)[key]
    safe = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in params.items()
    }
    return Html(template.format(**safe))
