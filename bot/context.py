"""The typed handler context: what every handler can reach, without string keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Bot
from telegram.ext import Application, CallbackContext, ExtBot

from bot.deps import Deps
from bot.roles import Role
from bot.strings import Lang
from storage.models import Member


@dataclass(frozen=True)
class Caller:
    """The user behind the current update, as the role guard resolved them."""

    telegram_id: int
    member: Member | None
    role: Role
    lang: Lang

    @property
    def member_id(self) -> int | None:
        """The member row's id; None for someone not (yet) a member."""
        return self.member.id if self.member is not None else None


class UnionBridgeApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application carrying the bot's dependencies."""

    def __init__(self, *, deps: Deps, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deps = deps
        self.worker_bot: Bot | None = None


class Ctx(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Handler context with typed access to the dependencies and the resolved caller."""

    _caller: Caller | None = None
    _answered: bool = False

    @property
    def deps(self) -> Deps:
        application = self.application
        if not isinstance(application, UnionBridgeApplication):
            raise TypeError("handlers run only inside a UnionBridgeApplication")
        return application.deps

    @property
    def caller(self) -> Caller:
        if self._caller is None:
            raise RuntimeError("caller is set by the role guard; register handlers through it")
        return self._caller

    def set_caller(self, caller: Caller) -> None:
        self._caller = caller

    def claim_answer(self) -> bool:
        """True the first time only: a button press is answered exactly once."""
        if self._answered:
            return False
        self._answered = True
        return True
