"""Building outbox rows for plain text messages."""

from __future__ import annotations

from typing import Any


def text_row(key: str, kind: str, chat_id: int, text: str, **columns: Any) -> dict[str, Any]:
    """An outbox row that sends one HTML text message (columns: member_id, not_before, …)."""
    return {
        "key": key,
        "kind": kind,
        "chat_id": chat_id,
        "payload": {"parts": [{"text": text}]},
        **columns,
    }
