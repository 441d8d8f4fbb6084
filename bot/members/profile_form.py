"""The member profile form, shared by registration and /me edits: steps and their decisions.

Telegram-free: the handlers render prompts and buttons; this module decides what an answer
means, what is wrong with it, and which step comes next.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any

from bot.greetings.birthday_dates import Birthday, BirthdayError, parse_birthday

NAME_MAX = 32
_NAME_OK = re.compile(r"^[\w·・.\- ]+$")


class Step(IntEnum):
    NAME = 1
    DEPARTMENT = 2
    BIRTHDAY = 3
    SHARE = 4
    HIDE_YEAR = 5
    LANGUAGE = 6
    CONFIRM = 7


CHOICE_STEPS = {
    "dept": Step.DEPARTMENT,
    "skip": Step.BIRTHDAY,
    "share": Step.SHARE,
    "year": Step.HIDE_YEAR,
    "lang": Step.LANGUAGE,
    "ok": Step.CONFIRM,
    "redo": Step.CONFIRM,
}
TEXT_STEPS = frozenset({Step.NAME, Step.DEPARTMENT, Step.BIRTHDAY})


@dataclass(frozen=True)
class Accepted:
    updates: dict[str, Any]


@dataclass(frozen=True)
class Rejected:
    key: str
    params: dict[str, int | str] = field(default_factory=dict)


def birthday_to_draft(birthday: Birthday | None) -> dict[str, Any] | None:
    if birthday is None:
        return None
    return {
        "kind": birthday.kind,
        "month": birthday.month,
        "day": birthday.day,
        "leap": birthday.leap,
        "year": birthday.year,
    }


def birthday_from_draft(raw: dict[str, Any] | None) -> Birthday | None:
    if not raw:
        return None
    return Birthday(raw["kind"], raw["month"], raw["day"], bool(raw["leap"]), raw["year"])


def clean_name(text: str) -> str | Rejected:
    name = " ".join(unicodedata.normalize("NFKC", text).split())
    if not name:
        return Rejected("name_empty")
    if len(name) > NAME_MAX:
        return Rejected("name_too_long", {"max": NAME_MAX})
    if not _NAME_OK.match(name) or name.replace(" ", "").isdigit():
        return Rejected("name_bad_chars")
    return name


def accept_text(
    step: Step, text: str, *, departments: list[str], today: date
) -> Accepted | Rejected:
    """What a typed answer means at this step."""
    if step == Step.NAME:
        name = clean_name(text)
        return name if isinstance(name, Rejected) else Accepted({"name": name})
    if step == Step.DEPARTMENT:
        typed = text.strip()
        if typed in departments:
            return Accepted({"department": typed})
        return Rejected("dept_use_buttons")
    if step == Step.BIRTHDAY:
        parsed = parse_birthday(text, today=today)
        if isinstance(parsed, BirthdayError):
            return Rejected(parsed.key, parsed.params)
        return Accepted({"birthday": birthday_to_draft(parsed)})
    return Rejected("use_buttons")


def accept_choice(
    step: Step, kind: str, value: str, *, departments: list[str]
) -> Accepted | Rejected:
    """What a pressed button means at this step; a button from another step has expired."""
    if CHOICE_STEPS.get(kind) != step:
        return Rejected("button_expired")
    if kind == "dept":
        index = int(value) if value.isdigit() else -1
        if not 0 <= index < len(departments):
            return Rejected("button_expired")
        return Accepted({"department": departments[index]})
    if kind == "lang" and value not in ("zh", "en"):
        return Rejected("button_expired")
    choices: dict[str, dict[str, Any]] = {
        "skip": {"birthday": None, "share_birthday": False, "hide_year": True},
        "share": {"share_birthday": value == "1"},
        "year": {"hide_year": value == "1"},
        "lang": {"language": value},
    }
    return Accepted(choices.get(kind, {}))


def next_step(step: Step, draft: dict[str, Any]) -> Step:
    """The step after this one in registration, skipping questions that no longer apply."""
    following = Step(step + 1) if step < Step.CONFIRM else Step.CONFIRM
    birthday = birthday_from_draft(draft.get("birthday"))
    if following == Step.SHARE and birthday is None:
        return Step.LANGUAGE
    if following == Step.HIDE_YEAR and (birthday is None or birthday.year is None):
        return Step.LANGUAGE
    return following


def missing_for_confirm(draft: dict[str, Any]) -> Step | None:
    """The first step a draft still lacks before it can be confirmed (a prefilled roster row)."""
    for step, key in (
        (Step.NAME, "name"),
        (Step.DEPARTMENT, "department"),
        (Step.LANGUAGE, "language"),
    ):
        if not draft.get(key):
            return step
    return None
