"""The e2e fixture: an emulator on a free loopback port and the real bot polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.emulator import Emulator, EmulatorServer
from tests.e2e.harness import Harness, test_config

ADMIN = 900_001


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    emulator_server = EmulatorServer(Emulator())
    await emulator_server.start()
    yield emulator_server
    await emulator_server.stop()


@pytest.fixture
async def harness(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[Harness]:
    running = Harness(server, test_config(server, db_url, admins=[ADMIN]), clock)
    await running.start()
    yield running
    await running.stop()
