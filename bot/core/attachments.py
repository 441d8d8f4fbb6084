"""A photo or file a user sent, kept by its Telegram file id (the bot never downloads it)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


class Attachment(BaseModel):
    kind: AttachmentKind
    file_id: str
    name: str = ""


class Content(BaseModel):
    """What a message carried: HTML text (formatting kept) and at most one attachment."""

    text: str = ""
    attachment: Attachment | None = None

    @property
    def empty(self) -> bool:
        return not self.text.strip() and self.attachment is None
