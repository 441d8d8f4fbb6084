"""Conversations that wait for a few written words on a case: a cadre's reply, question,
note or reason after a desk button, and a reporter's added information.

The cadre's flow remembers which card it came from, so the card is redrawn in place once
the words are in."""

from __future__ import annotations

from enum import IntEnum

from pydantic import BaseModel

from bot.cases.states import CaseAction
from bot.core.attachments import Content
from bot.core.flow import Flow, Rejected
from bot.roles import Role


class WrittenStep(IntEnum):
    TEXT = 1


class CardAt(BaseModel):
    """Where a case card is shown (to redraw it after a written action)."""

    chat_id: int
    message_id: int


class DeskWriting(BaseModel):
    case_id: int
    action: CaseAction
    card: CardAt | None = None


class Addition(BaseModel):
    case_id: int


DESK_WRITING = Flow(
    "case_desk",
    role=Role.CADRE,
    steps=WrittenStep,
    data=DeskWriting,
    cancelled="cancel_case_reply",
)
ADDITION = Flow(
    "case_add", role=Role.MEMBER, steps=WrittenStep, data=Addition, cancelled="cancel_case_add"
)


def words(content: Content | None) -> str | Rejected:
    """The HTML text of a message that must carry words (a photo's caption counts)."""
    if content is None or not content.text.strip():
        return Rejected("text_expected")
    return content.text
