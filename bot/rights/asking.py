"""A bare /ask: the bot waits for the question (the conversation), then answers it as any
question typed in private chat. Telegram-free and pure."""

from __future__ import annotations

from enum import IntEnum

from pydantic import BaseModel

from bot.core.flow import Flow, Rejected
from bot.roles import Role


class AskStep(IntEnum):
    QUESTION = 0  # stored with a question awaited: keep the number


class AskData(BaseModel):
    """Nothing is collected before the question itself."""


ASK = Flow("rights_ask", role=Role.MEMBER, steps=AskStep, data=AskData, cancelled="cancel_ask")


def give_question(text: str | None) -> str | Rejected:
    """The question typed after /ask (a sticker or photo is none)."""
    if text is None or not text.strip():
        return Rejected("text_expected")
    return text
