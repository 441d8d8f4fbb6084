"""Inline keyboards, Telegram-free: services draw them, the outbox stores them as JSON and the
handlers turn them into Telegram markup — all from the same typed callback data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.callbacks import CallbackData


@dataclass(frozen=True)
class Button:
    """One button: a press carrying typed data, or a link."""

    label: str
    data: CallbackData | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has either callback data or a url")

    def as_dict(self) -> dict[str, str]:
        if self.data is not None:
            return {"text": self.label, "callback_data": self.data.pack()}
        assert self.url is not None
        return {"text": self.label, "url": self.url}


Rows = Sequence[Sequence[Button]]


@dataclass(frozen=True)
class Keyboard:
    """Rows of buttons under a message."""

    rows: tuple[tuple[Button, ...], ...]

    @classmethod
    def of(cls, rows: Rows) -> Keyboard:
        return cls(tuple(tuple(row) for row in rows if row))

    @classmethod
    def column(cls, buttons: Sequence[Button]) -> Keyboard:
        """One button per row."""
        return cls(tuple((button,) for button in buttons))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def as_dict(self) -> dict[str, Any]:
        """Telegram's reply_markup JSON, as the outbox keeps it."""
        return {"inline_keyboard": [[button.as_dict() for button in row] for row in self.rows]}

    def __add__(self, other: Keyboard) -> Keyboard:
        return Keyboard(self.rows + other.rows)
