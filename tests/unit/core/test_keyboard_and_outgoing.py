"""Keyboards and outgoing messages become exactly the JSON the outbox and Telegram take."""

from datetime import UTC, datetime

import pytest

from bot.core.callbacks import CallbackData
from bot.core.keyboard import Button, Keyboard
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, Part


class Press(CallbackData, prefix="tkbd"):
    item: int


def test_keyboard_json() -> None:
    board = Keyboard.of([[Button("一", Press(item=1)), Button("链接", url="https://t.me/x")], []])
    assert board.as_dict() == {
        "inline_keyboard": [
            [{"text": "一", "callback_data": "tkbd:1"}, {"text": "链接", "url": "https://t.me/x"}]
        ]
    }
    assert not Keyboard.of([])
    with pytest.raises(ValueError, match="either"):
        Button("neither")


def test_outgoing_row_and_long_text_split() -> None:
    when = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    message = Outgoing.text(
        keys.notice_copy(3, -100),
        OutKind.NOTICE,
        -100,
        "段落。\n\n" * 1500,
        markup=Keyboard.column([Button("收到", Press(item=3))]),
        ref_id=3,
        not_before=when,
    )
    row = message.row()
    assert row["key"] == "notice:3:chat:-100" and row["kind"] == "notice"
    assert len(row["payload"]["parts"]) > 1
    assert all(len(part["text"]) <= 4096 for part in row["payload"]["parts"])
    assert row["payload"]["markup"]["inline_keyboard"][0][0]["callback_data"] == "tkbd:3"
    assert row["not_before"] == when and "pin" not in row["payload"]


def test_attachment_parts() -> None:
    assert Part.attachment("photo", "F1", "cap").as_dict() == {"text": "cap", "photo": "F1"}
    assert Part.attachment("document", "F2").as_dict() == {"text": "", "document": "F2"}


def test_keys_keep_their_established_forms() -> None:
    # Rows queued by an earlier version must not be queued again after an upgrade.
    assert keys.notice_reminder(4, 2, 9) == "notice:4:remind:2:member:9"
    assert keys.live_count(keys.notice_copy(4, -1)) == "notice:4:chat:-1:count"
    assert keys.case_to_chair(1, 2, 3) == "case:1:entry:2:chair:3"
    assert keys.digest(datetime(2026, 1, 2).date(), 5) == "digest:2026-01-02:user:5"
