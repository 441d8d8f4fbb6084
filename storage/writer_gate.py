"""One SQLite writer at a time in this process, without a lock convoy."""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType


class WriterGate:
    """Taken at once by whoever finds it free.

    asyncio.Lock hands a released lock to its longest waiter, who runs only on the loop's
    next turn; meanwhile every new writer queues behind it. Under load each write then waits
    a whole turn of every other update's work though the write itself never pauses (a lock
    convoy: the bot's writes took ~350 ms more than its reads at 50 updates in flight). Here
    the waiters are woken in order and go in if it is still free, else wait at the front."""

    def __init__(self) -> None:
        self._held = False
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def held(self) -> bool:
        return self._held

    async def __aenter__(self) -> None:
        front = False
        while self._held:
            waiter = asyncio.get_running_loop().create_future()
            if front:
                self._waiters.appendleft(waiter)
            else:
                self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # woken and cancelled at once: the turn passes on
                raise
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            front = True
        self._held = True

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._held = False
        self._wake()

    def _wake(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
                return
