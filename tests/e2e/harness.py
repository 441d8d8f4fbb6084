"""Drives the real Application over HTTP through the local Bot API emulator.

Users act on the emulator (send text, press buttons, add the bot to groups); `settle()`
waits until the bot has fetched and fully processed every update pushed so far, so a test
reads the bot's answers without sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot import lifecycle
from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Config
from bot.context import UnionBridgeApplication
from bot.emulator import Emulator, EmulatorServer, SentMessage
from bot.jobs import minute_tick
from bot.notices.schedule import RELEASE_TASK
from bot.webhook import WebhookServer
from storage import outbox
from storage.db import Database
from tests.e2e import catalogue

SETTLE_TIMEOUT = 15.0

DEPARTMENTS = ["一车间", "二车间", "质检部"]


def harness_config(server: EmulatorServer, db_url: str, *, admins: list[int]) -> Config:
    return Config.model_validate(
        {
            "telegram": {
                "token": server.emulator.token,
                "base_url": server.base_url,
                "base_file_url": server.base_file_url,
            },
            "database": {"url": db_url},
            "union": {"name": "东风机械厂工会", "departments": DEPARTMENTS, "admins": admins},
            "limits": {"overall_per_second": 1000, "group_per_minute": 10000},
            "delivery": {"concurrency": 16, "send_timeout_seconds": 3.0, "poll_seconds": 0.05},
            "ops": {"enabled": False},
        }
    )


class Harness:
    def __init__(self, server: EmulatorServer, config: Config, clock: ManualClock) -> None:
        self.server = server
        self.emu: Emulator = server.emulator
        self.config = config
        self.clock = clock
        self.db = Database(config.database.url)
        self.app: UnionBridgeApplication | None = None
        self.webhook: WebhookServer | None = None

    async def start(self, *, webhook_port: int | None = None) -> None:
        """Start the bot polling the emulator, or serving a webhook on webhook_port."""
        self.db = Database(self.config.database.url)
        # Tests run the minute job themselves (h.tick()), at the moments they choose.
        app = build_application(self.config, db=self.db, clock=self.clock, schedule_jobs=False)
        if webhook_port is None:
            await lifecycle.start_polling(app, long_poll_seconds=1)
        else:
            await lifecycle.start(app)
            settings = self.config.telegram.webhook.model_copy(
                update={"listen": "127.0.0.1", "port": webhook_port}
            )
            self.webhook = WebhookServer(app, settings)
            await self.webhook.start(
                webhook_url=f"http://127.0.0.1:{webhook_port}/{settings.url_path}"
            )
        self.app = app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        await lifecycle.stop(app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def settle(self) -> None:
        """Wait until every pushed update is fetched and its handlers have finished."""
        assert self.app is not None, "the bot is not running"
        target = self.emu.last_update_id
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        while self.emu.acked_update_id < target or self.emu.updates:
            if loop.time() > deadline:
                raise TimeoutError(f"bot did not fetch update {target}")
            await self.emu.wait_changed(0.05)
        await asyncio.wait_for(self.app.update_queue.join(), SETTLE_TIMEOUT)

    async def _act(self, update: dict[str, Any]) -> list[SentMessage]:
        before = len(self.emu.sent)
        await self.settle()
        return self.emu.sent[before:]

    async def send(
        self, user_id: int, text: str, *, chat_id: int | None = None, bold: str | None = None
    ) -> list[SentMessage]:
        """A user sends text; returns what the bot sent in answer (to any chat)."""
        return await self._act(self.emu.send_text(user_id, text, chat_id=chat_id, bold=bold))

    async def photo(self, user_id: int, caption: str = "") -> list[SentMessage]:
        """A user sends a photo (with an optional caption)."""
        return await self._act(self.emu.send_file(user_id, "photo", b"\x89PNG...", caption=caption))

    async def sticker(self, user_id: int, *, chat_id: int | None = None) -> list[SentMessage]:
        return await self._act(self.emu.send_sticker(user_id, chat_id=chat_id))

    async def press(
        self, user_id: int, message: SentMessage, data: str
    ) -> tuple[list[SentMessage], dict[str, Any]]:
        """A user presses a button; returns what the bot sent and how it answered the press."""
        update = self.emu.press(user_id, message, data)
        sent = await self._act(update)
        return sent, self.emu.callback_answers[update["callback_query"]["id"]]

    async def press_label(
        self, user_id: int, message: SentMessage, label: str
    ) -> tuple[list[SentMessage], dict[str, Any]]:
        """Press the button whose label contains `label` (as the chat shows it now)."""
        return await self.press(user_id, message, self.button_data(message, label))

    async def press_key(
        self, user_id: int, message: SentMessage, key: str, **values: object
    ) -> tuple[list[SentMessage], dict[str, Any]]:
        """Press the button labelled by catalogue `key` (in the user's language, zh here)."""
        return await self.press_label(user_id, message, catalogue.label(key, **values))

    def button_data(self, message: SentMessage, label: str) -> str:
        """The data of the button labelled `label` on the message as it is now."""
        for text, data in self.current(message).buttons():
            if label in text:
                return data
        raise AssertionError(f"no button {label!r} among {self.current(message).buttons()}")

    async def double_press(
        self, user_id: int, message: SentMessage, label: str
    ) -> tuple[list[SentMessage], list[dict[str, Any]]]:
        """Two presses of one button in flight before the bot has answered either."""
        data = self.button_data(message, label)
        updates = [self.emu.press(user_id, message, data) for _ in range(2)]
        before = len(self.emu.sent)
        await self.settle()
        answers = [self.emu.callback_answers[u["callback_query"]["id"]] for u in updates]
        return self.emu.sent[before:], answers

    async def drain(self, seconds: float = 30.0) -> None:
        """Wait until the outbox has nothing due (rows due later, e.g. in quiet hours, wait)."""
        assert self.app is not None, "the bot is not running"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            await self.settle()
            releasing = [t for t in asyncio.all_tasks() if t.get_name() == RELEASE_TASK]
            await asyncio.gather(*releasing)
            now = self.clock.now()
            async with self.db.read() as session:
                due = await outbox.count_open(session, due_by=now)
            worker = self.app.deps.delivery.worker
            if due == 0 and (worker is None or not worker.busy):
                return
            if loop.time() > deadline:
                raise TimeoutError(f"{due} outbox rows still due")
            if worker is not None:
                worker.wake()
            await self.emu.wait_changed(0.05)

    async def tick(self) -> int:
        """Run the minute job now (the clock is injected, so tests decide when 'now' is)."""
        assert self.app is not None
        return await minute_tick(self.app.deps)

    def current(self, message: SentMessage) -> SentMessage:
        """The message as the chat shows it now (after edits)."""
        return self.emu.messages[(message.chat_id, message.message_id)]


@contextmanager
def engine_events(h: Harness, name: str, listener: Callable[..., None]) -> Iterator[None]:
    """`listener` hears the bot's database engine's `name` event (a statement, a checkout)
    for the block."""
    engine = h.db.engine.sync_engine
    event.listen(engine, name, listener)
    try:
        yield
    finally:
        event.remove(engine, name, listener)
