"""One read unit for an update: the guard's look-up of the caller and the handler's first
reads share a session, instead of each opening (and closing) one of its own.

The shared session lasts only while nothing could make it stale or hold it idle: a write
(`Database.begin`) ends it, so later reads see what was written; so does any request to
Telegram (`end_shared_reads`, called by the request layer), so no pooled connection waits
on the network; and so does a read that fails. Each read block still ends as a unit of its
own would: what it loaded is detached, and the next block reads afresh. Only the task that
opened it uses it: a task the handler starts gets units of its own, as an AsyncSession serves
one task at a time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar, Token

from sqlmodel.ext.asyncio.session import AsyncSession

_CURRENT: ContextVar[SharedReads | None] = ContextVar("unionbridge_shared_reads", default=None)


class SharedReads:
    """The update's read unit, opened at its first read and ended as the module says. Ending
    it while a read block still holds its session closes it when that block is done."""

    def __init__(
        self, opener: AbstractAsyncContextManager[AsyncSession], *, source: object, owner: object
    ) -> None:
        self._opener = opener  # the unit it would have been, entered at the first read
        self.source = source  # the Database whose reads it serves
        self._owner = owner
        self._session: AsyncSession | None = None
        self._lent = 0
        self._ended = False
        self._error: BaseException | None = None

    def usable(self) -> bool:
        return not self._ended and asyncio.current_task() is self._owner

    @asynccontextmanager
    async def lend(self) -> AsyncIterator[AsyncSession]:
        if self._session is None:
            self._session = await self._opener.__aenter__()
        session = self._session
        self._lent += 1
        try:
            yield session
        except BaseException as error:
            self._ended, self._error = True, error
            raise
        finally:
            self._lent -= 1
            if not self._lent:
                # As after a unit of its own: what the block loaded is detached (a change to it
                # is never written through this reader) and the next block reads afresh.
                session.expunge_all()
                if self._ended:
                    await self._close()

    async def end(self) -> None:
        self._ended = True
        if not self._lent:
            await self._close()

    async def _close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            error = self._error
            await self._opener.__aexit__(
                type(error) if error else None, error, error.__traceback__ if error else None
            )


def current(source: object | None = None) -> SharedReads | None:
    """The shared read unit this task may use now (for this Database's reads), if any."""
    shared = _CURRENT.get()
    if shared is None or not shared.usable():
        return None
    return shared if source is None or shared.source is source else None


def install(shared: SharedReads) -> Token[SharedReads | None]:
    """Make it the current task's shared read unit; returns the token `uninstall` takes."""
    return _CURRENT.set(shared)


def uninstall(token: Token[SharedReads | None]) -> None:
    _CURRENT.reset(token)


async def end_shared_reads() -> None:
    """Before waiting on the network: the update's shared read unit gives its connection back
    (a no-op outside an update, or once it has ended)."""
    shared = current()
    if shared is not None:
        await shared.end()
