"""The e2e fixture: an emulator on a free loopback port and the real bot polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.emulator import EmulatorServer
from bot.sandbox.runner import Sandbox
from tests import log_audit
from tests.e2e.harness import Harness, harness_config

ADMIN = 900_001


@pytest.fixture
async def harness(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[Harness]:
    running = Harness(server, harness_config(server, db_url, admins=[ADMIN]), clock)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """The whole `unionbridge sandbox`: emulator, demo union, the bot and the page."""
    running = Sandbox()
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
        log_audit.remember(running.emu)
