"""What a user's message carries, read off Telegram's Message: text as HTML (formatting
kept), a photo or a document. Anything else (a sticker, a voice note) carries nothing."""

from __future__ import annotations

from telegram import Message

from bot.core.attachments import Attachment, AttachmentKind, Content


def attachment_of(message: Message | None) -> Attachment | None:
    if message is None:
        return None
    if message.photo:
        return Attachment(kind=AttachmentKind.PHOTO, file_id=message.photo[-1].file_id)
    if message.document:
        return Attachment(
            kind=AttachmentKind.DOCUMENT,
            file_id=message.document.file_id,
            name=message.document.file_name or "",
        )
    return None


def text_of(message: Message | None) -> str | None:
    """The message's text or caption as HTML, None if it has neither."""
    if message is None:
        return None
    if message.text:
        return message.text_html
    if message.caption:
        return message.caption_html
    return None


def content_of(message: Message | None) -> Content | None:
    """The message's text and attachment; None when it has neither (a sticker, say)."""
    attachment = attachment_of(message)
    text = text_of(message)
    if attachment is None and text is None:
        return None
    return Content(text=text or "", attachment=attachment)
