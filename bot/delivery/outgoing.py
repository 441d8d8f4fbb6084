"""Outgoing messages: what the outbox holds, typed.

Every message that is not a direct reply is an Outgoing (kind, chat, member, parts, buttons,
not-before) with a key from bot.delivery.keys; `enqueue` is the one way into the outbox.
The row's JSON payload is built here and read back by the delivery worker.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Keyboard
from bot.core.text_split import split_html
from bot.delivery.keys import OutboxKey
from storage import outbox


class OutKind(StrEnum):
    """What a row is, for the worker, the receipts and the purges."""

    NOTICE = "notice"  # a notice, to a group or a member
    REMINDER = "reminder"  # a notice's reminder to someone who has not confirmed
    EDIT = "edit"  # a live count edited into a message already sent
    CASE = "case"  # about a case, to cadres or the chair
    CASE_REPORTER = "case_reporter"  # to a case's reporter; purged once an anonymous case closes
    GREETING = "greeting"  # birthdays and festivals
    DIGEST = "digest"  # the cadres' morning list
    ALERT = "alert"  # to admins: something in the setup needs them
    ACTIVITY_POST = "activity_post"  # an activity's post in a group (its count is live)
    ACTIVITY = "activity"  # to one member about their sign-up
    VOTE = "vote"  # ballots and results
    SUGGESTION_POST = "suggestion_post"  # an adopted suggestion in a group (its count is live)
    CARE = "care"  # life events shared with a group, visits and aid for the chair
    OPEN_BOARD = "open_board"  # the monthly 公开栏 post in a group
    ROLE = "role"  # to a member: made a cadre, or no longer one


@dataclass(frozen=True)
class Upload:
    """A small file the bot made itself (an .ics invitation), sent as a document: the outbox
    row carries its bytes (base64 in the JSON), since Telegram has no file id for it yet."""

    name: str
    data: bytes

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "data": base64.b64encode(self.data).decode("ascii")}

    @classmethod
    def from_dict(cls, raw: dict[str, str]) -> Upload:
        return cls(raw["name"], base64.b64decode(raw["data"]))


@dataclass(frozen=True)
class Part:
    """One message: text, or a photo or document (a Telegram file id, or a file the bot made)
    with the text as caption."""

    text: str = ""
    photo: str | None = None
    document: str | None = None
    upload: Upload | None = None

    def as_dict(self) -> dict[str, Any]:
        part: dict[str, Any] = {"text": self.text}
        if self.photo is not None:
            part["photo"] = self.photo
        if self.document is not None:
            part["document"] = self.document
        if self.upload is not None:
            part["upload"] = self.upload.as_dict()
        return part

    @classmethod
    def attachment(cls, kind: str, file_id: str, text: str = "") -> Part:
        return cls(text=text, photo=file_id) if kind == "photo" else cls(text, document=file_id)


@dataclass(frozen=True)
class Outgoing:
    """A message (one or several parts; the buttons go under the last) for one chat."""

    key: OutboxKey
    kind: OutKind
    chat_id: int
    parts: tuple[Part, ...]
    markup: Keyboard | None = None
    member_id: int | None = None
    ref_id: int | None = None
    not_before: datetime | None = None
    pin: bool = False

    @classmethod
    def text(
        cls,
        key: OutboxKey,
        kind: OutKind,
        chat_id: int,
        text: str,
        *,
        markup: Keyboard | None = None,
        member_id: int | None = None,
        ref_id: int | None = None,
        not_before: datetime | None = None,
    ) -> Outgoing:
        """An HTML text, split at sensible boundaries when it is over Telegram's limit."""
        parts = tuple(Part(piece) for piece in split_html(text)) or (Part(text),)
        return cls(key, kind, chat_id, parts, markup, member_id, ref_id, not_before)

    def row(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"parts": [part.as_dict() for part in self.parts]}
        if self.markup:
            payload["markup"] = self.markup.as_dict()
        if self.pin:
            payload["pin"] = True
        row: dict[str, Any] = {
            "key": str(self.key),
            "kind": self.kind.value,
            "chat_id": self.chat_id,
            "member_id": self.member_id,
            "ref_id": self.ref_id,
            "payload": payload,
        }
        if self.not_before is not None:
            row["not_before"] = self.not_before
        return row


async def enqueue(session: AsyncSession, messages: Iterable[Outgoing], *, now: datetime) -> int:
    """Queue messages in the caller's transaction; a key already queued is left alone.
    Returns how many were new."""
    return await outbox.enqueue(session, [message.row() for message in messages], now=now)


def parts_of(rows: Sequence[dict[str, Any]]) -> list[Part]:
    """Parts back from their JSON (previews show exactly what will be sent)."""
    return [
        Part(
            row.get("text", ""),
            photo=row.get("photo"),
            document=row.get("document"),
            upload=Upload.from_dict(row["upload"]) if "upload" in row else None,
        )
        for row in rows
    ]
