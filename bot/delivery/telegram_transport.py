"""The worker's Transport over the Bot API: one call each, every failure classified."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.delivery.outcome import (
    Delivered,
    Migrated,
    Outcome,
    Rejected,
    Throttled,
    Transient,
    Unreachable,
    reason_code,
)
from bot.delivery.outgoing import Upload
from bot.privacy import ChatLabel

log = logging.getLogger(__name__)


def _markup(raw: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.de_json(raw, None) if raw else None


async def _classify(call: Callable[[], Awaitable[Message | bool]]) -> Outcome:
    try:
        result = await call()
    except Forbidden as exc:
        return Unreachable(reason_code(exc.message))
    except ChatMigrated as exc:
        return Migrated(exc.new_chat_id)
    except RetryAfter as exc:
        wait = exc.retry_after
        return Throttled(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
    except BadRequest as exc:
        if "message is not modified" in exc.message.lower():
            return Delivered(None)
        if reason_code(exc.message) == "chat_not_found":
            return Unreachable("chat_not_found")
        return Rejected(exc.message)
    except NetworkError as exc:  # includes TimedOut
        return Transient(exc.message or type(exc).__name__)
    except TelegramError as exc:
        return Rejected(exc.message)
    return Delivered(result.message_id if isinstance(result, Message) else None)


class TelegramTransport:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(
        self, chat_id: int, part: dict[str, Any], markup: dict[str, Any] | None
    ) -> Outcome:
        keyboard = _markup(markup)
        if "photo" in part:
            return await _classify(
                lambda: self.bot.send_photo(
                    chat_id,
                    part["photo"],
                    caption=part.get("text") or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            )
        if "upload" in part:  # a file the bot made: its bytes are in the row
            upload = Upload.from_dict(part["upload"])
            return await _classify(
                lambda: self.bot.send_document(
                    chat_id,
                    InputFile(upload.data, filename=upload.name),
                    caption=part.get("text") or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            )
        if "document" in part:
            return await _classify(
                lambda: self.bot.send_document(
                    chat_id,
                    part["document"],
                    caption=part.get("text") or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            )
        return await _classify(
            lambda: self.bot.send_message(
                chat_id, part["text"], parse_mode=ParseMode.HTML, reply_markup=keyboard
            )
        )

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        markup: dict[str, Any] | None,
        *,
        caption: bool = False,
    ) -> Outcome:
        keyboard = _markup(markup)
        if caption:
            return await _classify(
                lambda: self.bot.edit_message_caption(
                    chat_id=chat_id,
                    message_id=message_id,
                    caption=text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                )
            )
        return await _classify(
            lambda: self.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
            )
        )

    async def pin(self, chat_id: int, message_id: int) -> None:
        """Pinning is best effort: a group may not let the bot pin; the message still counts."""
        try:
            await self.bot.pin_chat_message(chat_id, message_id, disable_notification=False)
        except TelegramError as exc:
            log.warning(
                "could not pin message %s in chat %s: %s",
                message_id,
                ChatLabel(chat_id),
                exc.message,
            )
