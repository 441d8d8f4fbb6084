"""Free messages in private chat go to the conversation the user is in (or, outside one, are
a member's rights question); /cancel leaves it, in that conversation's own words."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, filters

from bot.context import Ctx
from bot.core.flow import conversation_of, leave
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command, message, refusal_key
from handlers.core.replies import say
from handlers.rights import questions as rights


async def on_private_message(update: Update, context: Ctx) -> None:
    """Route a message to the caller's conversation, or say what they can do."""
    caller, deps = context.caller, context.deps
    async with deps.db.read() as session:
        dialog = await conversation_of(session, caller.telegram_id)
    binding = context.flows.get(dialog.flow) if dialog is not None else None
    state = binding.flow.restore(dialog) if binding is not None else None
    if dialog is not None and (binding is None or state is None):
        # A conversation this version cannot read (an upgrade changed it): start afresh.
        async with deps.db.begin() as session:
            await leave(session, user_id=caller.telegram_id)
        await say(update, context, t(caller.lang, "conversation_expired"))
        return
    if binding is None or state is None:
        text = update.effective_message.text if update.effective_message else None
        if caller.role >= Role.MEMBER and text:
            # No conversation going on: a member writing to the bot is asking a question.
            await rights.answer_question(update, context, text)
            return
        key = "register_first" if caller.role == Role.GUEST else "idle_hint"
        await say(update, context, t(caller.lang, key))
        return
    if caller.role < binding.flow.role:
        # A cadre removed mid-conversation must not finish a cadre's action.
        async with deps.db.begin() as session:
            await leave(session, user_id=caller.telegram_id)
        await say(update, context, t(caller.lang, refusal_key(binding.flow.role, caller)))
        return
    await binding.on_message(update, context, state)


async def on_cancel(update: Update, context: Ctx) -> None:
    """Leave whatever conversation the caller is in, and say which."""
    caller = context.caller
    async with context.deps.db.begin() as session:
        dialog = await leave(session, user_id=caller.telegram_id)
    binding = context.flows.get(dialog.flow) if dialog is not None else None
    if dialog is None:
        key = "cancel_nothing"
    elif binding is None:
        key = "cancel_done"
    else:
        key = binding.flow.cancelled
    await say(update, context, t(caller.lang, key))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private_free = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    return [
        command("cancel", on_cancel, role=Role.GUEST),
        message(private_free, on_private_message, role=Role.GUEST, where="private"),
    ]
