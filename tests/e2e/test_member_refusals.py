"""Forged presses of every button the members, greetings and rights features own, generated
from the handlers the bot registers: from anyone whose role is below the one a button needs,
the press is refused (the answer says so) and nothing in the database changes. Members have
no statuses beyond their role, so the guard's role check is the table here."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Any, get_type_hints

import pytest
import sqlalchemy
from sqlmodel import SQLModel
from telegram.ext import CallbackQueryHandler

from bot.core.callbacks import CallbackData, registered
from bot.emulator import SentMessage
from bot.members.callbacks import ForgetChoice
from bot.rights.callbacks import HelpfulPress
from bot.roles import Role
from handlers.core.guard import PLACE_ATTRIBUTE, ROLE_ATTRIBUTE
from storage import members
from storage.statuses import StoredRole
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
OWNERS = ("bot.members.callbacks", "bot.greetings.callbacks", "bot.rights.callbacks")
GUEST, WORKER, CADRE = 80_001, 80_002, 80_003
PEOPLE = {Role.GUEST: GUEST, Role.MEMBER: WORKER, Role.CADRE: CADRE}
# Who each button is for: the registrations must agree, so lowering one fails here.
NEEDED = {
    "DepartmentChoice": Role.GUEST,
    "SkipBirthday": Role.GUEST,
    "ShareChoice": Role.GUEST,
    "YearChoice": Role.GUEST,
    "LanguageChoice": Role.GUEST,
    "ConfirmPress": Role.GUEST,
    "RedoPress": Role.GUEST,
    "EditPress": Role.MEMBER,
    "ForgetPress": Role.MEMBER,
    "QuietPress": Role.MEMBER,
    "RelatedPress": Role.MEMBER,
    "ChoicePress": Role.MEMBER,
    "TaskPress": Role.MEMBER,
    "HelpfulPress": Role.MEMBER,
    "HandoffPress": Role.MEMBER,
    "SendPress": Role.MEMBER,
    "BindPress": Role.CADRE,
    "CadrePress": Role.ADMIN,
    "GreetNowPress": Role.ADMIN,
}
# The choice that would do the most if a refused press got through.
WORST: dict[type[StrEnum], StrEnum] = {ForgetChoice: ForgetChoice.YES}


def owned() -> list[type[CallbackData]]:
    return [cls for cls in registered().values() if cls.__module__ in OWNERS]


def needs(h: Harness, cls: type[CallbackData]) -> tuple[Role, str]:
    """The role and place the bot registered this button's handler with."""
    assert h.app is not None
    for group in h.app.handlers.values():
        for handler in group:
            pattern = getattr(handler, "pattern", None)
            if (
                isinstance(handler, CallbackQueryHandler)
                and getattr(pattern, "pattern", None) == cls.pattern()
            ):
                callback = handler.callback
                return getattr(callback, ROLE_ATTRIBUTE), getattr(callback, PLACE_ATTRIBUTE)
    raise AssertionError(f"no handler takes {cls.__name__}")


def forged(cls: type[CallbackData], ids: dict[str, int]) -> CallbackData:
    """A payload of this class aimed at real rows (so a press that got through would show)."""
    values: dict[str, Any] = {}
    hints = get_type_hints(cls)
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind = hints[field.name]
        if isinstance(kind, type) and issubclass(kind, StrEnum):
            values[field.name] = WORST.get(kind, next(iter(kind)))
        elif kind is bool:
            values[field.name] = True
        elif kind is str:
            values[field.name] = "overtime-pay"
        else:
            values[field.name] = ids.get(field.name, 0)
    return cls(**values)


async def snapshot(h: Harness) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    rows = {}
    async with h.db.read() as session:
        for table in SQLModel.metadata.sorted_tables:
            result = await session.exec(sqlalchemy.select(table))  # type: ignore[call-overload]
            rows[table.name] = sorted(map(tuple, result.all()), key=repr)
    return rows


def refusal(needed: Role, role: Role) -> str:
    if role == Role.GUEST and needed == Role.MEMBER:
        return "register_first"
    return "admin_only" if needed == Role.ADMIN else "not_allowed"


async def _setting(h: Harness) -> tuple[dict[Role, SentMessage], SentMessage, dict[str, int]]:
    """A guest, a member, a cadre and a group; a message of the bot's in each chat; and the
    rows payloads will aim at (a cadre to remove, a member's question, today's greetings)."""
    await register(h, CADRE, "陈主席", username="chen_cadre")
    await register(h, WORKER, "王小明", birthday="11月24日")  # today: a greeting to queue
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    h.emu.user(GUEST, "路人")
    [answer] = await h.send(WORKER, "加班费怎么算")
    chats = {role: (await h.send(user, "/help"))[0] for role, user in PEOPLE.items()}
    group = h.emu.group("一车间群", members=[CADRE, WORKER, GUEST])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    async with h.db.read() as session:
        cadre = await members.get_by_telegram_id(session, CADRE)
    assert cadre is not None and cadre.id is not None and cadre.role == StoredRole.CADRE
    helpful = HelpfulPress.parse(answer.buttons()[0][1])  # the 👍 under the member's answer
    assert helpful is not None
    ids = {"member_id": cadre.id, "question_id": helpful.question_id, "index": 0, "runs": 0}
    return chats, h.emu.last(group), ids


async def test_forged_presses_below_the_role_a_button_needs_change_nothing(
    harness: Harness,
) -> None:
    h = harness
    chats, in_group, ids = await _setting(h)
    before = await snapshot(h)
    tried = 0
    assert sorted(cls.__name__ for cls in owned()) == sorted(NEEDED)
    for cls in owned():
        needed, place = needs(h, cls)
        assert needed == NEEDED[cls.__name__], cls.__name__
        data = forged(cls, ids).pack()
        below = [role for role in PEOPLE if role < needed]
        if needed == Role.GUEST:
            # Registration's own buttons: forged with no form in progress, they have expired.
            below = [Role.MEMBER]
        for role in below:
            message = in_group if place == "group" else chats[role]
            sent, answer = await h.press(PEOPLE[role], message, data)
            key = "button_expired" if needed == Role.GUEST else refusal(needed, role)
            assert sent == [] and answer["show_alert"], (cls.__name__, role)
            assert says(answer["text"], key), (cls.__name__, role, answer["text"])
            tried += 1
    assert await snapshot(h) == before
    assert tried == 24
