"""The last resort: log a failed update without its text, and apologise to the user."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError

from bot.context import Ctx
from bot.strings import normalise_lang, t

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Log the failure (no message text: it may be a private report) and tell the user."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update: %r", error, exc_info=error)
        return
    chat = update.effective_chat
    user = update.effective_user
    log.error(
        "update %s in chat %s failed: %s",
        update.update_id,
        chat.id if chat else None,
        type(error).__name__,
        exc_info=error,
    )
    if chat is None or chat.type != Chat.PRIVATE:
        return
    lang = normalise_lang(
        user.language_code if user else None, context.deps.config.union.default_language
    )
    try:
        await context.bot.send_message(chat.id, t(lang, "internal_error"))
    except TelegramError:
        log.warning("could not tell chat %s about the failure", chat.id)
