"""The authorization matrix, from the code itself: every command and every button pattern the
real Application registers is tried by every kind of person (a stranger, a member, a cadre,
the chair, an admin known only from config) in every kind of chat (their private chat, a group
bound to a department, a group that is not), through the emulator; what each saw is compared
with the one declared table (tests/reliability/authorization_table.py). A handler the table
does not know fails, and so does a row no handler has.

One bot and one emulator serve the whole module, on each database under test; a handler's
fifteen tries go out together (each person has their own chats, so every answer is theirs)
and are settled at once."""

from __future__ import annotations

import dataclasses
import logging
import types
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
import pytest_asyncio
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.clock import ManualClock
from bot.core.callbacks import CallbackData, registered
from bot.emulator import Emulator, EmulatorServer, SentMessage
from bot.privacy import pseudonym
from bot.roles import Role
from storage import groups, members
from storage.statuses import StoredRole
from tests import log_audit
from tests.databases import PostgresTemplate, SqliteTemplate, backends
from tests.e2e.catalogue import says
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness, harness_config
from tests.reliability.authorization_table import (
    BUTTONS,
    COMMANDS,
    OTHERS,
    ROLE_OF,
    Outcome,
    Persona,
    Place,
    expected,
)

pytestmark = pytest.mark.e2e
IN_MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
IDS = {
    Persona.NONE: 61_001,
    Persona.MEMBER: 61_002,
    Persona.CADRE: 61_003,
    Persona.CHAIR: 61_004,
    Persona.CONFIG_ADMIN: 61_005,
}
ADMINS = [IDS[Persona.CHAIR], IDS[Persona.CONFIG_ADMIN]]
DEPARTMENT = "一车间"
STALE = "zz:nothing"  # a payload no button carries: the catch-all answers it
# Refusals a person can see, most telling first.
SEEN = [
    ("internal_error", Outcome.INTERNAL_ERROR),
    ("system_busy", Outcome.INTERNAL_ERROR),
    ("private_only", Outcome.TO_PRIVATE),
    ("group_only", Outcome.TO_GROUP),
    ("register_first", Outcome.REGISTER_FIRST),
    ("admin_only", Outcome.ADMIN_ONLY),
    ("not_allowed", Outcome.NOT_ALLOWED),
]


class Kind(StrEnum):
    COMMAND = "command"
    BUTTON = "button"


class GuardLog(logging.Handler):
    """The guard's refusal records: which handler refused whom, and why."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def place_refusals(self) -> set[tuple[str, str, bool]]:
        """(handler, who, in a group) for each refusal because of the kind of chat."""
        return {
            (
                getattr(r, "handler", ""),
                getattr(r, "who", ""),
                getattr(r, "chat_type", "") != "private",
            )
            for r in self.records
            if getattr(r, "refusal", None) == "place"
        }


@dataclasses.dataclass
class Matrix:
    h: Harness
    chats: dict[tuple[Persona, Place], int]
    anchors: dict[int, SentMessage]  # a message of the bot's in each chat, to press under
    bound: dict[int, str | None]  # each group's department as set up
    log: GuardLog


def _handlers(h: Harness) -> Iterator[BaseHandler[Any, Any, Any]]:
    assert h.app is not None
    for group in h.app.handlers.values():
        yield from group


def registered_keys(h: Harness) -> dict[tuple[Kind, str], str]:
    """Every command name and button prefix the running bot takes, with its callback's name;
    other handlers by their callback's name."""
    prefixes = {cls.pattern(): prefix for prefix, cls in registered().items()}
    found: dict[tuple[Kind, str], str] = {}
    for handler in _handlers(h):
        name = handler.callback.__name__
        if isinstance(handler, CommandHandler):
            for command in handler.commands:
                found[(Kind.COMMAND, command)] = name
        elif isinstance(handler, CallbackQueryHandler):
            pattern = getattr(handler.pattern, "pattern", None)
            assert isinstance(pattern, str), f"{name} takes presses without a pattern"
            found[(Kind.BUTTON, prefixes.get(pattern, "*"))] = name
        else:
            assert name in OTHERS, f"{type(handler).__name__} {name} has no row in the table"
    return found


def harmless(cls: type[CallbackData]) -> str:
    """A payload of this class aimed at no real row (ids 0, first choices): a press that got
    through finds nothing to change."""
    values: dict[str, Any] = {}
    hints = get_type_hints(cls)
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        kind = hints[field.name]
        if get_origin(kind) in (Union, types.UnionType):
            kind = next(arg for arg in get_args(kind) if arg is not type(None))
        if isinstance(kind, type) and issubclass(kind, StrEnum):
            values[field.name] = next(iter(kind))
        elif kind is bool:
            values[field.name] = False
        elif kind is str:
            values[field.name] = "x"
        else:
            values[field.name] = 0
    return cls(**values).pack()


async def _groups(h: Harness) -> dict[tuple[Persona, Place], int]:
    """Each person's own bound and unbound group (the chair is in all of them, to bind)."""
    chair = IDS[Persona.CHAIR]
    chats: dict[tuple[Persona, Place], int] = {}
    for persona, user in IDS.items():
        for place in (Place.BOUND_GROUP, Place.UNBOUND_GROUP):
            group = h.emu.group(f"{persona}-{place}", members=[user, chair])
            h.emu.add_bot_to_group(group, chair)
            chats[(persona, place)] = group
    await h.settle()
    for persona in IDS:
        await h.send(chair, f"/bindgroup {DEPARTMENT}", chat_id=chats[(persona, Place.BOUND_GROUP)])
    return chats


async def _database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    if request.param == "sqlite":
        sqlite: SqliteTemplate = request.getfixturevalue("sqlite_template")
        return sqlite.fresh_url(tmp_path_factory.mktemp("matrix"))
    postgres: PostgresTemplate = request.getfixturevalue("postgres_template")
    await postgres.reset()
    return postgres.url


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=backends())
async def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Matrix]:
    url = await _database(request, tmp_path_factory)
    server = EmulatorServer(Emulator())
    await server.start()
    clock = ManualClock(datetime(2026, 11, 24, 1, 30, tzinfo=UTC))
    h = Harness(server, harness_config(server, url, admins=ADMINS), clock)
    await h.start()
    log = GuardLog()
    guard_log = logging.getLogger("handlers.core.guard")
    guard_log.addHandler(log)
    level = guard_log.level
    guard_log.setLevel(logging.INFO)
    try:
        await register(h, IDS[Persona.MEMBER], "王小明")
        await register(h, IDS[Persona.CADRE], "陈干部", username="chen_cadre")
        await register(h, IDS[Persona.CHAIR], "李主席")
        h.emu.user(IDS[Persona.NONE], "路人")
        h.emu.user(IDS[Persona.CONFIG_ADMIN], "配置管理员")
        await appoint(h, "@chen_cadre", by=IDS[Persona.CHAIR])
        chats = await _groups(h)
        for persona, user in IDS.items():
            await h.send(user, "/help")
            chats[(persona, Place.PRIVATE)] = user
        anchors = {chat: h.emu.last(chat) for chat in chats.values()}
        bound: dict[int, str | None] = {chats[(p, Place.UNBOUND_GROUP)]: None for p in Persona}
        bound |= {chats[(p, Place.BOUND_GROUP)]: DEPARTMENT for p in Persona}
        yield Matrix(h, chats, anchors, bound, log)
    finally:
        guard_log.removeHandler(log)
        guard_log.setLevel(level)
        await h.stop()
        await server.stop()
        log_audit.remember(server.emulator)


def observe(sent: list[SentMessage], answer: dict[str, Any] | None, refused: bool) -> Outcome:
    """What a person saw, in the table's words."""
    texts = [message.text for message in sent]
    if answer is not None and answer.get("text"):
        texts.append(answer["text"])
    for key, outcome in SEEN:
        if any(says(text, key) for text in texts):
            return outcome
    if refused:  # a button in the wrong kind of chat: answered as expired, by the guard
        return Outcome.BUTTON_REFUSED
    return Outcome.ALLOWED


async def _restore(m: Matrix) -> None:
    """Put back what a try may change on purpose (a cadre binding or unbinding a group) and
    check no one's role moved."""
    h, chair = m.h, IDS[Persona.CHAIR]
    async with h.db.read() as session:
        for persona, user in IDS.items():
            member = await members.get_by_telegram_id(session, user)
            registered_ = member is not None and member.registered_at is not None
            assert registered_ == (persona not in (Persona.NONE, Persona.CONFIG_ADMIN)), persona
            if member is not None:
                stored = StoredRole.CADRE if persona == Persona.CADRE else StoredRole.MEMBER
                assert member.role == stored, persona
        now = {chat: await groups.get(session, chat) for chat in m.bound}
    for chat, department in m.bound.items():
        row = now[chat]
        if row is None or row.department != department:
            text = f"/bindgroup {department}" if department else "/unbindgroup"
            await h.send(chair, text, chat_id=chat)


def _cells() -> list[tuple[Kind, str]]:
    return [(Kind.COMMAND, name) for name in COMMANDS] + [(Kind.BUTTON, p) for p in BUTTONS]


@IN_MODULE_LOOP
async def test_every_registered_handler_has_a_row_and_every_row_a_handler(
    matrix: Matrix,
) -> None:
    found = registered_keys(matrix.h)
    assert sorted(found) == sorted(_cells())


@IN_MODULE_LOOP
@pytest.mark.parametrize(("kind", "key"), _cells(), ids=str)
async def test_each_person_in_each_place_sees_what_the_table_says(
    matrix: Matrix, kind: Kind, key: str
) -> None:
    m = matrix
    h, button = m.h, kind == Kind.BUTTON
    row = (BUTTONS if button else COMMANDS)[key]
    callback = registered_keys(h)[(kind, key)]
    data = (STALE if key == "*" else harmless(registered()[key])) if button else f"/{key}"
    tries: dict[tuple[Persona, Place], str | None] = {}
    m.log.records.clear()
    before = len(h.emu.sent)
    for (persona, place), chat in m.chats.items():
        user = IDS[persona]
        if button:
            update = h.emu.press(user, m.anchors[chat], data)
            tries[(persona, place)] = update["callback_query"]["id"]
        else:
            h.emu.send_text(user, data, chat_id=chat if chat != user else None)
            tries[(persona, place)] = None
    await h.settle()
    sent = h.emu.sent[before:]
    refused = m.log.place_refusals()
    wrong = {}
    for (persona, place), query in tries.items():
        chat = m.chats[(persona, place)]
        answer = h.emu.callback_answers[query] if query is not None else None
        seen = observe(
            [s for s in sent if s.chat_id == chat],
            answer,
            (callback, pseudonym(IDS[persona]), place != Place.PRIVATE) in refused,
        )
        want = expected(row, persona, place, button=button)
        if seen != want:
            wrong[f"{persona}/{place}"] = f"saw {seen}, table says {want}"
    await _restore(m)
    assert not wrong, f"{kind} {key} (role {row.role.name}, {row.where}): {wrong}"


def test_the_table_speaks_of_every_role() -> None:
    roles = {row.role for row in [*COMMANDS.values(), *BUTTONS.values()]}
    assert roles == set(Role) == set(ROLE_OF.values())
