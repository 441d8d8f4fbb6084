"""The last resort: log a failed update without its text (its sender by pseudonym), and tell
the user something kind.

When the database is unavailable, members are told the system is busy and to try again in a
moment, and the outage is logged once, not once per update."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError

from bot.context import Ctx
from bot.privacy import Pseudonym
from bot.strings import normalise_lang, t
from storage.db import is_unavailable

log = logging.getLogger(__name__)


async def on_error(update: object, context: Ctx) -> None:
    """Log the failure (no message text: it may be a private report) and tell the user."""
    error = context.error
    deps = context.deps
    unavailable = error is not None and is_unavailable(error)
    if unavailable and error is not None:
        deps.outage.failed("an update" if isinstance(update, Update) else "a job", error)
    if not isinstance(update, Update):
        if not unavailable:
            log.error("error outside an update: %r", error, exc_info=error)
        return
    if not unavailable:
        user = update.effective_user
        log.error(
            "update %s from user %s failed: %s",
            update.update_id,
            Pseudonym(user.id) if user is not None else "-",
            type(error).__name__,
            exc_info=error,
        )
    await _tell(update, context, "system_busy" if unavailable else "internal_error")


async def _tell(update: Update, context: Ctx, key: str) -> None:
    chat, user = update.effective_chat, update.effective_user
    lang = normalise_lang(
        user.language_code if user else None, context.deps.config.union.default_language
    )
    query = update.callback_query
    try:
        if query is not None:
            await query.answer(t(lang, key), show_alert=True)
        elif chat is not None and chat.type == Chat.PRIVATE:
            await context.bot.send_message(chat.id, t(lang, key))
    except TelegramError:
        log.warning("could not tell update %s about the failure", update.update_id)
