"""The rights Q&A's buttons: related questions, "was this helpful?", 「没解决，问工会」 and
sending the question to the union."""

from __future__ import annotations

from enum import StrEnum

from bot.core.callbacks import CallbackData


class RelatedPress(CallbackData, prefix="kbgo"):
    """A related question: its answer. `english` keeps a question asked in English in it."""

    entry_id: str
    english: bool


class HelpfulPress(CallbackData, prefix="kbh"):
    question_id: int
    helpful: bool


class HandoffPress(CallbackData, prefix="kbask"):
    """「没解决，问工会」 under an answer."""

    question_id: int


class Sender(StrEnum):
    NAMED = "named"
    ANONYMOUS = "anonymous"


class SendPress(CallbackData, prefix="kbsend"):
    """Send the question (and what the member added) to the union, named or not."""

    sender: Sender
