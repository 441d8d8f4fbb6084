"""The festivals the union greets: the built-in table (festivals.toml) and its own additions."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.greetings.calendar import FestivalRule


@dataclass(frozen=True)
class Festival:
    rule: FestivalRule
    name_zh: str
    name_en: str
    text_zh: str
    text_en: str
    welfare: bool = False
    enabled: bool = True


def _festival(key: str, raw: dict[str, Any]) -> Festival:
    rule = FestivalRule(
        key, raw["kind"], raw.get("month", 0), raw.get("day", 0), raw.get("term", "")
    )
    return Festival(
        rule,
        raw["name_zh"],
        raw["name_en"],
        raw["text_zh"],
        raw["text_en"],
        raw.get("welfare", False),
        raw.get("enabled", True),
    )


@cache
def built_in() -> tuple[Festival, ...]:
    raw = tomllib.loads(
        resources.files("bot.greetings").joinpath("festivals.toml").read_text(encoding="utf-8")
    )
    return tuple(_festival(key, entry) for key, entry in raw.items())


KNOWN_KEYS = frozenset(festival.rule.key for festival in built_in())
