"""Webhook mode: Telegram (the emulator) posts updates with the secret token."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.emulator import EmulatorServer
from tests.e2e.harness import Harness, harness_config

pytestmark = pytest.mark.e2e
SECRET = "s3cret-Token_1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def webhook_bot(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[tuple[Harness, int]]:
    config = harness_config(server, db_url, admins=[])
    config = config.model_copy(
        update={
            "telegram": config.telegram.model_copy(
                update={
                    "mode": "webhook",
                    "webhook": config.telegram.webhook.model_copy(update={"secret_token": SECRET}),
                }
            )
        }
    )
    port = _free_port()
    running = Harness(server, config, clock)
    await running.start(webhook_port=port)
    yield running, port
    await running.stop()


async def test_updates_arrive_by_webhook_with_the_secret(webhook_bot: tuple[Harness, int]) -> None:
    h, port = webhook_bot
    assert h.emu.webhook is not None and h.emu.webhook["secret_token"] == SECRET
    h.emu.user(1, "王")
    [welcome] = await h.send(1, "/start")
    assert "姓名" in welcome.text
    chat = {"id": 1, "type": "private"}
    message = {"message_id": 1, "date": 0, "chat": chat, "from": h.emu.users[1], "text": "/help"}
    forged = {"update_id": 999, "message": message}
    async with aiohttp.ClientSession() as session:
        async with session.post(f"http://127.0.0.1:{port}/telegram", json=forged) as reply:
            assert reply.status == 403
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        async with session.post(
            f"http://127.0.0.1:{port}/telegram", json=forged, headers=wrong
        ) as reply:
            assert reply.status == 403
    await h.settle()
    assert len(h.emu.chat_messages(1)) == 1  # the forged updates did nothing


async def test_oversized_and_malformed_bodies_are_refused_quietly(
    webhook_bot: tuple[Harness, int], caplog: pytest.LogCaptureFixture
) -> None:
    h, port = webhook_bot
    url = f"http://127.0.0.1:{port}/telegram"
    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    h.emu.user(1, "王")
    huge = b'{"update_id": 1, "message": {"text": "' + b"x" * (10 * 1024 * 1024) + b'"}}'
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=huge, headers=secret) as reply:
            assert reply.status == 413
        for body in (b"{not json", b"[1, 2, 3]", b'"a string"', b'{"update_id": "x"}'):
            async with session.post(url, data=body, headers=secret) as reply:
                assert reply.status == 400, body
        async with session.post(url, data=b"{}", headers={}) as reply:
            assert reply.status == 403
    await h.settle()
    assert h.emu.chat_messages(1) == []
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert all("xxxx" not in r.getMessage() for r in caplog.records)
