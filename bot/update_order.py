"""Updates handled concurrently across chats, in order within each chat.

One member's next message must never overtake their previous one (a conversation's answers
arrive in the order they were typed; a button pressed after a message acts after it), but a
cadre's /receipts need not wait behind a worker's /ask in another chat."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def chat_of(update: object) -> int | None:
    """The chat whose order an update keeps (None: it may go in any order)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` at once; within a chat, one at a time, in arrival order
    (PTB starts each update's task in arrival order and asyncio's locks are first come, first
    served)."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._queued[chat] = self._queued.get(chat, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._queued[chat] -= 1
            if not self._queued[chat]:  # nobody else waits for this chat: forget it
                del self._queued[chat]
                self._locks.pop(chat, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
