"""Free messages in private chat go to the conversation the user is in (or, outside one, are
a member's rights question); /cancel leaves it, in that conversation's own words."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, filters

from bot.context import Ctx
from bot.core.flow import Flow, FlowState, conversation_of, leave
from bot.core.keyboard import Button, Keyboard
from bot.core.small_talk import QuitPress, quitting
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button, command, message, refusal_key
from handlers.core.replies import answer, edit, say
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
    refusal = refusal_key(binding.flow.role, caller)
    if refusal is not None:
        # A cadre removed mid-conversation must not finish a cadre's action.
        async with deps.db.begin() as session:
            await leave(session, user_id=caller.telegram_id)
        await say(update, context, t(caller.lang, refusal))
        return
    text = update.effective_message.text if update.effective_message else None
    if text and quitting(text):
        await _offer_to_quit(update, context, binding.flow, state)
        return
    await binding.on_message(update, context, state)


async def _offer_to_quit(
    update: Update, context: Ctx, flow: Flow[Any, Any], state: FlowState[Any, Any]
) -> None:
    """「算了不想说了」 in the middle of a form: ask whether to drop it, in the form's language."""
    lang = flow.lang_of(state, context.caller.lang)
    keyboard = Keyboard.of(
        [
            [
                Button(t(lang, "btn_quit_yes"), QuitPress(flow=flow.name, confirm=True)),
                Button(t(lang, "btn_quit_no"), QuitPress(flow=flow.name, confirm=False)),
            ]
        ]
    )
    await say(update, context, t(lang, "quit_offer"), keyboard)


async def on_quit(update: Update, context: Ctx, press: QuitPress) -> None:
    """The answer to the offer: leave the form (as /cancel does) or carry on."""
    caller = context.caller
    binding = context.flows.get(press.flow)
    async with context.deps.db.begin() as session:
        dialog = await conversation_of(session, caller.telegram_id)
        if dialog is None or dialog.flow != press.flow or binding is None:
            dialog = None
        elif press.confirm:
            await leave(session, user_id=caller.telegram_id)
    if dialog is None or binding is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    lang = binding.flow.lang_of(binding.flow.restore(dialog), caller.lang)
    await edit(update, t(lang, binding.flow.cancelled if press.confirm else "quit_kept"))


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
        button(QuitPress, on_quit, role=Role.GUEST, where="private"),
        message(private_free, on_private_message, role=Role.GUEST, where="private"),
    ]
