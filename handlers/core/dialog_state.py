"""Reading and writing the step a user is at in a conversation (kept in the database)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import Ctx
from bot.strings import t
from handlers.core.replies import answer
from storage import dialogs
from storage.models import Dialog


async def save_step(context: Ctx, flow: str, step: int, data: dict[str, Any]) -> None:
    """Keep the caller at this step of this conversation (a restart resumes it)."""
    deps = context.deps
    async with deps.db.begin() as session:
        await dialogs.put(
            session,
            user_id=context.caller.telegram_id,
            flow=flow,
            step=step,
            data=data,
            now=deps.clock.now(),
        )


async def dialog_at(update: Update, context: Ctx, flow: str, step: int) -> Dialog | None:
    """The caller's conversation if a button of this step may act on it; otherwise the
    button has expired, and the caller is told so."""
    async with context.deps.db.read() as session:
        dialog = await dialogs.get(session, context.caller.telegram_id)
    if dialog is None or dialog.flow != flow or dialog.step != step:
        await answer(update, context, t(context.caller.lang, "button_expired"), alert=True)
        return None
    return dialog
