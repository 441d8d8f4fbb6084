"""Sending helpers shared by the handlers: replies, button answers, edits, keyboards."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import Ctx
from bot.core.keyboard import Keyboard
from bot.delivery.outgoing import Part

log = logging.getLogger(__name__)
Markup = Keyboard | InlineKeyboardMarkup | None


def markup(keyboard: Markup) -> InlineKeyboardMarkup | None:
    """Telegram's markup for a keyboard a service drew."""
    if keyboard is None or isinstance(keyboard, InlineKeyboardMarkup):
        return keyboard
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    button.label,
                    callback_data=button.data.pack() if button.data is not None else None,
                    url=button.url,
                )
                for button in row
            ]
            for row in keyboard.rows
        ]
    )


async def say(update: Update, context: Ctx, text: str, keyboard: Markup = None) -> None:
    """Reply in the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return
    await context.bot.send_message(chat_id=chat.id, text=text, reply_markup=markup(keyboard))


async def say_parts(
    update: Update, context: Ctx, parts: Sequence[Part], keyboard: Markup = None
) -> None:
    """Send several parts (photos, files, texts) to the chat; the buttons go on the last."""
    chat = update.effective_chat
    if chat is None:
        return
    for index, part in enumerate(parts):
        reply_markup = markup(keyboard) if index == len(parts) - 1 else None
        caption = part.text or None
        if part.photo is not None:
            await context.bot.send_photo(
                chat.id, part.photo, caption=caption, reply_markup=reply_markup
            )
        elif part.document is not None:
            await context.bot.send_document(
                chat.id, part.document, caption=caption, reply_markup=reply_markup
            )
        else:
            await context.bot.send_message(chat.id, part.text, reply_markup=reply_markup)


async def answer(
    update: Update, context: Ctx, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer the pressed button exactly once (Telegram shows a spinner until then)."""
    query = update.callback_query
    if query is None or not context.claim_answer():
        return
    await query.answer(text=text, show_alert=alert)


async def edit(update: Update, text: str, keyboard: Markup = None) -> None:
    """Replace the text of the message whose button was pressed; unchanged is not an error."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(text=text, reply_markup=markup(keyboard))
    except BadRequest as exc:
        if "message is not modified" not in exc.message.lower():
            raise


async def edit_at(
    context: Ctx, chat_id: int, message_id: int, text: str, keyboard: Markup = None
) -> None:
    """Replace the text of a message the bot sent earlier (not the one whose button was
    pressed: a card redrawn after a typed answer). Unchanged or gone is not an error."""
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=markup(keyboard)
        )
    except BadRequest as exc:
        reason = exc.message.lower()
        if "message is not modified" not in reason and "message to edit not found" not in reason:
            raise
