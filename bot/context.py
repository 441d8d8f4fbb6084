"""The typed handler context: what every handler can reach, without string keys."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic

from telegram import Bot, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.core.flow import D, Flow, FlowState, S
from bot.deps import Deps
from bot.roles import Role
from bot.strings import Lang
from storage.models import Member

UPDATE_TYPES = ("message", "callback_query", "my_chat_member", "edited_message", "chat_member")


def _update_type(update: object) -> str:
    if isinstance(update, Update):
        for name in UPDATE_TYPES:
            if getattr(update, name, None) is not None:
                return name
        return "other"
    return "internal"


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
    """PTB's Application carrying the bot's dependencies and its conversations."""

    def __init__(self, *, deps: Deps, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deps = deps
        self.worker_bot: Bot | None = None
        self.ops_server: Any = None  # bot.ops.server.OpsServer, when [ops] is enabled
        self.console_server: Any = None  # bot.console.routes.ConsoleServer, when enabled
        self.role: Any = None  # bot.process.ProcessRole, set by build_application
        self.schedule_jobs = True  # tests run the jobs themselves, at moments they choose
        self.flows: dict[str, FlowHandler[Any, Any]] = {}

    async def process_update(self, update: object) -> None:
        """Handle one update, counted by type and timed for /metrics."""
        started = time.perf_counter()
        try:
            await super().process_update(update)
        finally:
            metrics = self.deps.metrics
            metrics.updates.labels(_update_type(update)).inc()
            metrics.update_seconds.observe(time.perf_counter() - started)

    def add_flows(self, bindings: list[FlowHandler[Any, Any]]) -> None:
        for binding in bindings:
            name = binding.flow.name
            if name in self.flows:
                raise ValueError(f"two conversations are called {name!r}")
            self.flows[name] = binding


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
    def flows(self) -> dict[str, FlowHandler[Any, Any]]:
        """Every conversation the application knows, by name."""
        application = self.application
        if not isinstance(application, UnionBridgeApplication):
            raise TypeError("handlers run only inside a UnionBridgeApplication")
        return application.flows

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


@dataclass(frozen=True)
class FlowHandler(Generic[S, D]):
    """A conversation and the handler for what the user types while in it."""

    flow: Flow[S, D]
    on_message: Callable[[Update, Ctx, FlowState[S, D]], Coroutine[Any, Any, None]]
