"""The emulated Telegram's records: errors, sent messages, chats, faults and limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
BOT_ID = 7_000_000_001


class ApiError(Exception):
    """A Bot API error answer: HTTP code, Telegram's description, optional parameters."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, int] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class SentMessage:
    """A message the bot sent, as the chat shows it now (edits applied)."""

    chat_id: int
    message_id: int
    text: str
    html: str
    reply_markup: dict[str, Any] | None
    date: int
    kind: str = "text"
    file_name: str | None = None
    file_bytes: bytes | None = None
    edits: int = 0
    pinned: bool = False

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of every inline button, row by row."""
        if not self.reply_markup:
            return []
        return [
            (button["text"], button.get("callback_data", ""))
            for row in self.reply_markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class Fault:
    """An injected failure for the next `times` calls of a method (optionally to one chat)."""

    method: str
    error: ApiError | None
    chat_id: int | None = None
    times: int = 1
    delay: float = 0.0


@dataclass
class Limits:
    """Telegram's flood limits, enforced with 429 retry_after when set."""

    overall_per_second: float | None = None
    per_chat_per_second: float | None = None
    group_per_minute: int | None = None


@dataclass
class ChatState:
    """A chat as Telegram keeps it: members, the bot's standing, migration."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    members: set[int] = field(default_factory=set)
    bot_status: str = "left"
    migrated_to: int | None = None
    started: bool = False
    bot_can_pin: bool = True  # as an administrator

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data
