"""Conversations: one way to hold one.

A Flow is a named conversation with the role it needs, the place it runs in, typed steps (an
IntEnum) and a pydantic model of what has been collected. Its state lives in the database
(one row per user), so a restart or another instance resumes it. Step functions are pure:
they return Accepted (the next step and the new data) or Rejected (a catalogue message), and
the handler says the result. Telegram-free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.roles import Role
from bot.strings import Lang
from storage import dialogs
from storage.models import Dialog

S = TypeVar("S", bound=IntEnum)
D = TypeVar("D", bound=BaseModel)
Place = Literal["private", "group", "any"]


@dataclass(frozen=True)
class FlowState(Generic[S, D]):
    """Where a user is in a conversation and what they have given so far."""

    step: S
    data: D


@dataclass(frozen=True)
class Accepted(Generic[S, D]):
    """An answer that fits: go to `step` with `data`."""

    step: S
    data: D


@dataclass(frozen=True)
class Rejected:
    """An answer that does not fit; `key` names the catalogue text that says what to do."""

    key: str
    params: Mapping[str, str | int] = field(default_factory=dict)


class Flow(Generic[S, D]):
    """A conversation: its name, who may be in it, where, its steps and its data model.

    `cancelled` is the catalogue key /cancel answers with, in this flow's own words;
    `language`, for a flow that settles its own language (registration), reads it from the
    data, so everything said in the flow is said in it.
    """

    def __init__(
        self,
        name: str,
        *,
        role: Role,
        steps: type[S],
        data: type[D],
        cancelled: str,
        place: Place = "private",
        language: Callable[[D], Lang | None] | None = None,
    ) -> None:
        if len(name) > 32:
            raise ValueError(f"flow name {name!r} is over 32 characters")
        self.name = name
        self.role = role
        self.steps = steps
        self.data = data
        self.cancelled = cancelled
        self.place = place
        self.language = language

    def __repr__(self) -> str:
        return f"Flow({self.name!r})"

    def lang_of(self, state: FlowState[S, D] | None, fallback: Lang) -> Lang:
        """The language to speak in this flow: its own, once it has one, else the caller's."""
        if state is None or self.language is None:
            return fallback
        return self.language(state.data) or fallback

    def restore(self, dialog: Dialog | None) -> FlowState[S, D] | None:
        """The state a stored row holds, if it is this flow's and still readable."""
        if dialog is None or dialog.flow != self.name:
            return None
        try:
            return FlowState(self.steps(dialog.step), self.data.model_validate(dialog.data))
        except (ValueError, ValidationError):
            return None  # written by an older version whose steps or fields have changed

    async def load(self, session: AsyncSession, user_id: int) -> FlowState[S, D] | None:
        return self.restore(await dialogs.get(session, user_id))

    async def save(
        self, session: AsyncSession, *, user_id: int, step: S, data: D, now: datetime
    ) -> FlowState[S, D]:
        """Put the user at `step` of this flow with `data` (starting it if need be)."""
        await dialogs.put(
            session,
            user_id=user_id,
            flow=self.name,
            step=int(step),
            data=data.model_dump(mode="json"),
            now=now,
        )
        return FlowState(step, data)

    async def take(self, session: AsyncSession, *, user_id: int, step: S) -> FlowState[S, D] | None:
        """Finish the conversation at `step` and return what it collected — once: a second
        press in flight finds it gone and gets None (so a double tap sends once)."""
        return self.restore(await dialogs.take(session, user_id=user_id, flow=self.name, step=step))

    async def end(self, session: AsyncSession, *, user_id: int) -> None:
        """Leave the conversation (only if the user is still in this flow)."""
        dialog = await dialogs.get(session, user_id)
        if dialog is not None and dialog.flow == self.name:
            await dialogs.clear(session, user_id=user_id)


async def conversation_of(session: AsyncSession, user_id: int) -> Dialog | None:
    """The stored conversation the user is in, whichever flow it is."""
    return await dialogs.get(session, user_id)


async def leave(session: AsyncSession, *, user_id: int) -> Dialog | None:
    """Leave whatever conversation the user is in; returns what they left."""
    dialog = await dialogs.get(session, user_id)
    if dialog is not None:
        await dialogs.clear(session, user_id=user_id)
    return dialog
