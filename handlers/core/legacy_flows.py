"""TEMPORARY while features move to bot.core.flow: wraps an old-style conversation handler
(update, context, dialog) as a FlowHandler. Deleted once every feature is ported."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from enum import IntEnum
from typing import Any

from pydantic import RootModel
from telegram import Update

from bot.context import Ctx, FlowHandler
from bot.core.flow import Flow, FlowState
from bot.roles import Role
from storage.models import Dialog

OldHandler = Callable[[Update, Ctx, Dialog], Coroutine[Any, Any, None]]
LegacyStep = IntEnum("LegacyStep", {f"S{i}": i for i in range(0, 32)})  # type: ignore[misc]


class LegacyData(RootModel[dict[str, Any]]):
    pass


def legacy(
    name: str, role: Role, handler: OldHandler, cancelled: str = "cancel_done"
) -> FlowHandler[Any, Any]:
    flow: Flow[Any, Any] = Flow(
        name, role=role, steps=LegacyStep, data=LegacyData, cancelled=cancelled
    )

    async def on_message(update: Update, context: Ctx, state: FlowState[Any, Any]) -> None:
        dialog = Dialog(
            user_id=context.caller.telegram_id,
            flow=name,
            step=int(state.step),
            data=state.data.root,
        )
        await handler(update, context, dialog)

    return FlowHandler(flow, on_message)
