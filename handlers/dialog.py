"""Free messages in private chat go to the conversation the user is in; /cancel leaves it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, filters

from bot.context import Ctx
from bot.roles import Role
from bot.strings import t
from handlers.guard import command, message
from handlers.registration import FORM_FLOWS, REGISTER, on_form_message
from handlers.replies import say
from storage import dialogs


async def on_private_message(update: Update, context: Ctx) -> None:
    """Route a message to the caller's conversation, or say what they can do."""
    caller = context.caller
    async with context.deps.db.read() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
    if dialog is not None and dialog.flow in FORM_FLOWS:
        await on_form_message(update, context, dialog)
        return
    key = "register_first" if caller.role == Role.GUEST else "idle_hint"
    await say(update, context, t(caller.lang, key))


async def on_cancel(update: Update, context: Ctx) -> None:
    """Leave whatever conversation the caller is in."""
    caller = context.caller
    async with context.deps.db.begin() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
        if dialog is not None:
            await dialogs.clear(session, user_id=caller.telegram_id)
    if dialog is None:
        key = "cancel_nothing"
    elif dialog.flow == REGISTER:
        key = "cancel_registration"
    else:
        key = "cancel_done"
    await say(update, context, t(caller.lang, key))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private_free = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    return [
        command("cancel", on_cancel, role=Role.GUEST),
        message(private_free, on_private_message, role=Role.GUEST, where="private"),
    ]
