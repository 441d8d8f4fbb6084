"""Conversation state in the database: saved, resumed, read strictly, taken exactly once."""

from datetime import UTC, datetime
from enum import IntEnum

from pydantic import BaseModel

from bot.core.flow import Flow, conversation_of, leave
from bot.roles import Role
from storage import dialogs
from storage.db import Database

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


class Step(IntEnum):
    ONE = 1
    TWO = 2


class Draft(BaseModel):
    text: str = ""
    count: int = 0


FLOW = Flow("sample", role=Role.MEMBER, steps=Step, data=Draft, cancelled="cancel_done")


async def test_save_load_and_take_once(db: Database) -> None:
    async with db.begin() as session:
        await FLOW.save(session, user_id=7, step=Step.TWO, data=Draft(text="hi", count=2), now=NOW)
    async with db.read() as session:
        state = await FLOW.load(session, 7)
    assert state is not None and state.step == Step.TWO and state.data.count == 2
    async with db.begin() as session:
        assert await FLOW.take(session, user_id=7, step=Step.ONE) is None
        taken = await FLOW.take(session, user_id=7, step=Step.TWO)
        assert taken is not None and taken.data.text == "hi"
        assert await FLOW.take(session, user_id=7, step=Step.TWO) is None
    async with db.read() as session:
        assert await conversation_of(session, 7) is None


async def test_unreadable_state_is_not_restored(db: Database) -> None:
    async with db.begin() as session:
        await dialogs.put(session, user_id=8, flow="sample", step=9, data={}, now=NOW)
        await dialogs.put(session, user_id=9, flow="sample", step=1, data={"count": "x"}, now=NOW)
    async with db.read() as session:
        assert await FLOW.load(session, 8) is None
        assert await FLOW.load(session, 9) is None
    async with db.begin() as session:
        left = await leave(session, user_id=8)
    assert left is not None and left.flow == "sample"
