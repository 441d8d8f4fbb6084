"""The rights Q&A's buttons: related questions, "was this helpful?", 「问工会」, sending the
question to the union, which of two entries the member meant, and the bot's other tasks."""

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
    """「问工会」 under an answer."""

    question_id: int


class Sender(StrEnum):
    NAMED = "named"
    ANONYMOUS = "anonymous"


class SendPress(CallbackData, prefix="kbsend"):
    """Send the question (and what the member added) to the union, named or not."""

    sender: Sender


class ChoicePress(CallbackData, prefix="kbpick"):
    """The entry the member meant, when the search asked which of two (or offered near
    matches): their own question is answered by it. `english` keeps English."""

    question_id: int
    entry_id: str
    english: bool


class Task(StrEnum):
    """What the bot does besides rights answers, offered when a question is not one."""

    ASK = "ask"
    REPORT = "report"
    ACTIVITIES = "activities"
    PROFILE = "profile"
    HELP = "help"


class TaskPress(CallbackData, prefix="kbtask"):
    task: Task
