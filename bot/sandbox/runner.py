"""Starting and stopping the whole sandbox: emulator, demo database, the real bot, the page."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import tempfile
from pathlib import Path

from bot import lifecycle
from bot.app import build_application
from bot.context import UnionBridgeApplication
from bot.emulator import Emulator, EmulatorServer
from bot.sandbox.clock import ShiftedClock
from bot.sandbox.demo import Demo, sandbox_config, seed
from bot.sandbox.web import SandboxWeb
from storage.db import Database
from storage.migrate import upgrade

log = logging.getLogger(__name__)
TICK_SECONDS = 5.0  # the bot's own tick is a minute; the sandbox is watched, so it is quicker


def free_port() -> int:
    """A loopback port free now (the console's address must be known before it starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sandbox:
    """Everything `unionbridge sandbox` runs, on loopback ports, with a throwaway database."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.emu = Emulator()
        self.clock = ShiftedClock()
        self._server = EmulatorServer(self.emu)
        self._folder = tempfile.TemporaryDirectory(prefix="unionbridge-sandbox-")
        self.db = Database(f"sqlite+aiosqlite:///{Path(self._folder.name) / 'sandbox.db'}")
        self.app: UnionBridgeApplication | None = None
        self.web: SandboxWeb | None = None
        self.demo: Demo | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def url(self) -> str:
        assert self.web is not None
        return f"http://{self.host}:{self.web.port}/"

    async def start(self) -> None:
        await self._server.start()
        config = sandbox_config(
            base_url=self._server.base_url,
            base_file_url=self._server.base_file_url,
            token=self.emu.token,
            db_url=self.db.url,
            console_port=free_port(),
        )
        await upgrade(self.db)
        self.demo = await seed(self.emu, self.db, config, self.clock)
        app = build_application(config, db=self.db, clock=self.clock)
        await lifecycle.start_polling(app)
        self.app = app
        self.web = SandboxWeb(self.emu, app.deps, self.clock, self.demo)
        await self.web.start(self.host, self.port)
        self._ticker = asyncio.create_task(self._tick_forever(), name="sandbox-tick")

    async def _tick_forever(self) -> None:
        # Stopped by the event, never cancelled: a tick cut off inside its transaction would
        # leave SQLite locked for the delivery worker still finishing.
        assert self.web is not None
        while not self._stopping.is_set():
            await self.web.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), TICK_SECONDS)

    async def stop(self) -> None:
        self._stopping.set()
        if self._ticker is not None:
            await self._ticker
        if self.web is not None:
            await self.web.stop()
        app, self.app = self.app, None
        if app is not None:
            await lifecycle.stop(app)
        await self._server.stop()
        await self.db.engine.dispose()
        self._folder.cleanup()


async def run_sandbox(*, host: str, port: int) -> None:
    """Run until interrupted, telling the user where to point their browser."""
    sandbox = Sandbox(host=host, port=port)
    await sandbox.start()
    print(f"Union Bridge sandbox: open {sandbox.url} (Ctrl-C stops it)", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()
