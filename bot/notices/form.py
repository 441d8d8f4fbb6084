"""The /notice form: steps and what each answer means (Telegram-free)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.when import WhenError, parse_when

TARGETS = {
    "all_groups": ("groups", False),
    "dept_groups": ("groups", True),
    "all_members": ("members", False),
    "dept_members": ("members", True),
    "all_both": ("both", False),
    "dept_both": ("both", True),
}


class NoticeStep(IntEnum):
    CONTENT = 1
    TARGET = 2
    DEPARTMENTS = 3
    ACK = 4
    PIN = 5
    WHEN = 6
    PREVIEW = 7


@dataclass(frozen=True)
class Accepted:
    updates: dict[str, Any]
    step: NoticeStep


@dataclass(frozen=True)
class Rejected:
    key: str
    params: dict[str, str | int] = field(default_factory=dict)


def after(step: NoticeStep, data: dict[str, Any]) -> NoticeStep:
    """The next question, skipping the department and pin questions where they do not apply."""
    if step == NoticeStep.CONTENT:
        return NoticeStep.TARGET
    if step == NoticeStep.TARGET:
        return NoticeStep.DEPARTMENTS if data.get("departments") is not None else NoticeStep.ACK
    if step == NoticeStep.DEPARTMENTS:
        return NoticeStep.ACK
    if step == NoticeStep.ACK:
        return NoticeStep.WHEN if data.get("target") == "members" else NoticeStep.PIN
    if step == NoticeStep.PIN:
        return NoticeStep.WHEN
    return NoticeStep.PREVIEW


def accept_choice(
    step: NoticeStep, kind: str, value: str, data: dict[str, Any], *, departments: list[str]
) -> Accepted | Rejected:
    """A pressed button of the form; a button from another step has expired."""
    if kind == "tg" and step == NoticeStep.TARGET and value in TARGETS:
        target, by_department = TARGETS[value]
        updates: dict[str, Any] = {"target": target, "departments": [] if by_department else None}
        return Accepted(updates, after(step, {**data, **updates}))
    if kind == "dp" and step == NoticeStep.DEPARTMENTS:
        chosen = list(data.get("departments") or [])
        if value == "done":
            if not chosen:
                return Rejected("notice_pick_department")
            return Accepted({}, after(step, data))
        index = int(value) if value.isdigit() else -1
        if not 0 <= index < len(departments):
            return Rejected("button_expired")
        name = departments[index]
        chosen = [d for d in chosen if d != name] if name in chosen else [*chosen, name]
        return Accepted({"departments": [d for d in departments if d in chosen]}, step)
    if kind == "ack" and step == NoticeStep.ACK:
        updates = {"ack": value == "1"}
        return Accepted(updates, after(step, {**data, **updates}))
    if kind == "pin" and step == NoticeStep.PIN:
        return Accepted({"pin": value == "1"}, after(step, data))
    if kind == "when" and step == NoticeStep.WHEN and value == "now":
        return Accepted({"when": None}, NoticeStep.PREVIEW)
    return Rejected("button_expired")


def accept_when(text: str, *, now: datetime, zone: ZoneInfo) -> Accepted | Rejected:
    moment = parse_when(text, now=now, zone=zone)
    if isinstance(moment, WhenError):
        return Rejected(moment.key)
    return Accepted({"when": moment.isoformat()}, NoticeStep.PREVIEW)
