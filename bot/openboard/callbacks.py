"""The open board's button: a cadre withdraws a 公示 item from under /open."""

from __future__ import annotations

from bot.core.callbacks import CallbackData


class WithdrawPress(CallbackData, prefix="obw"):
    item_id: int
