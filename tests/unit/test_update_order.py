"""Updates from many chats are handled at once, each chat's strictly in arrival order."""

from __future__ import annotations

import asyncio
import random

from telegram import Update

from bot.update_order import ChatOrderedProcessor


def _update(update_id: int, chat_id: int) -> Update:
    user = {"id": chat_id, "is_bot": False, "first_name": "工友"}
    message = {
        "message_id": update_id, "date": 0, "chat": {"id": chat_id, "type": "private"},
        "from": user, "text": str(update_id),
    }  # fmt: skip
    update = Update.de_json({"update_id": update_id, "message": message}, None)
    assert update is not None
    return update


async def test_each_chat_keeps_its_order_while_chats_overlap() -> None:
    processor = ChatOrderedProcessor(8)
    handled: dict[int, list[int]] = {}
    running, most = 0, 0
    random.seed(7)

    async def handle(chat: int, sequence: int) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(random.random() / 200)  # handling time varies, as it does
        handled.setdefault(chat, []).append(sequence)
        running -= 1

    tasks = []
    for sequence in range(20):
        for chat in range(1, 7):
            update = _update(sequence * 10 + chat, chat)
            work = handle(chat, sequence)
            # PTB starts each update's task in arrival order, as here.
            tasks.append(asyncio.create_task(processor.process_update(update, work)))
    await asyncio.gather(*tasks)
    assert all(sequences == list(range(20)) for sequences in handled.values())
    assert len(handled) == 6 and most > 1  # chats did overlap
    assert processor._locks == {}  # every chat forgotten once idle
