"""Sending helpers shared by the handlers: replies, button answers, keyboards."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import Ctx

log = logging.getLogger(__name__)


async def say(
    update: Update, context: Ctx, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Reply in the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(chat_id=chat.id, text=text, reply_markup=markup)


async def answer(
    update: Update, context: Ctx, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer the pressed button exactly once (Telegram shows a spinner until then)."""
    query = update.callback_query
    if query is None or not context.claim_answer():
        return
    await query.answer(text=text, show_alert=alert)


async def edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text of the message whose button was pressed; unchanged is not an error."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(text=text, reply_markup=markup)
    except BadRequest as exc:
        if "message is not modified" not in exc.message.lower():
            raise


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )
