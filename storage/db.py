"""The async engine and units of work, on SQLite (embedded) and PostgreSQL (scale-out)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import update_reads
from storage.idle_ping import IDLE_SECONDS, ping_when_idle
from storage.sqlite_inline import opener
from storage.writer_gate import WriterGate

_IMMEDIATE = "unionbridge_immediate"
# PostgreSQL's pool: room for the updates handled at once and the outbox worker's sends, so
# a busy minute reuses connections instead of logging in anew for most units of work.
POOL_SIZE = 20
MAX_OVERFLOW = 10


# busy_timeout 0: a statement that finds another process's lock is retried by the connection
# after an asynchronous pause (storage/sqlite_inline.py), never by sleeping in the loop.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=0",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


def _sqlite_engine(url: str, options: dict[str, Any]) -> AsyncEngine:
    """SQLite without a thread per connection, in autocommit mode: SQLAlchemy, not the
    driver, decides when a transaction begins (see _on_begin)."""
    path = make_url(url).database or ":memory:"
    engine = create_async_engine(url, async_creator=opener(path, SQLITE_PRAGMAS), **options)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A write transaction takes the write lock up front, so two writers queue on
        # busy_timeout instead of one failing with "database is locked" at upgrade time.
        # A read runs each statement on its own snapshot (WAL), saving a round trip to the
        # driver's thread for a BEGIN that would lock nothing.
        if connection.get_execution_options().get(_IMMEDIATE):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """Owns the engine; hands out sessions, each one unit of work."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        idle_ping_seconds: float = IDLE_SECONDS,
        pool_size: int = POOL_SIZE,
        max_overflow: int = MAX_OVERFLOW,
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # A failed statement's parameters (names, case text, Telegram ids) stay out of logs.
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, options)
        else:
            options.update(pool_size=pool_size, max_overflow=max_overflow)
            self.engine = create_async_engine(url, **options)
            ping_when_idle(self.engine, idle_seconds=idle_ping_seconds)
        self._writer = async_sessionmaker(
            self.engine.execution_options(**{_IMMEDIATE: True}),
            class_=AsyncSession,
            expire_on_commit=False,
        )
        # Reads take each statement's own snapshot on both databases (SQLite does, WAL), so on
        # PostgreSQL a read needs no BEGIN and COMMIT: two round trips fewer per unit.
        reads = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._reader = async_sessionmaker(reads, class_=AsyncSession, expire_on_commit=False)
        self._write_lock = WriterGate() if self.is_sqlite else None

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        await update_reads.end_shared_reads()  # reads after it see what it wrote
        if self._write_lock is None:
            async with self._unit(self._writer, writes=True) as session:
                yield session
            return
        # SQLite takes one writer at a time: writers of this process wait here instead of
        # polling the file lock with busy_timeout's growing sleeps.
        async with self._write_lock, self._unit(self._writer, writes=True) as session:
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A unit of work for reading: readers never queue on SQLite's write lock (on SQLite each
        statement reads its own snapshot). Objects stay usable after the block. Within
        `update_reads`, it is the update's shared read unit."""
        shared = update_reads.current(self)
        if shared is None:
            async with self._unit(self._reader, writes=False) as session:
                yield session
            return
        async with shared.lend() as session:
            yield session

    @asynccontextmanager
    async def update_reads(self) -> AsyncIterator[None]:
        """Within the block, this task's reads share one unit until a write, a request to
        Telegram or a failed read ends it (storage/update_reads.py): one unit of work where
        an update's look-up of its caller and its handler's reads took one each. Inside
        another such block of this task (/start opening a command), it is that block's."""
        if update_reads.current(self) is not None:
            yield
            return
        unit = self._unit(self._reader, writes=False)
        shared = update_reads.SharedReads(unit, source=self, owner=asyncio.current_task())
        token = update_reads.install(shared)
        try:
            yield
        finally:
            update_reads.uninstall(token)
            await shared.end()

    @asynccontextmanager
    async def _unit(
        self, maker: async_sessionmaker[AsyncSession], *, writes: bool
    ) -> AsyncIterator[AsyncSession]:
        if writes and not self.is_sqlite:
            # The session's own exit closes it in a task of its own, so a cancelled caller
            # cannot abandon a connection halfway through a rollback.
            async with maker() as session, session.begin():
                yield session
            return
        # Closing here cannot be cut short: on SQLite nothing suspends (sqlite_inline.py), and
        # a PostgreSQL read (autocommit) leaves no transaction to roll back. The shielded close
        # would cost every unit two turns of the event loop, and on SQLite a writer would keep
        # the others waiting through them.
        session = maker()
        try:
            async with session.begin():
                yield session
        finally:
            await session.close()

    async def dispose(self) -> None:
        await self.engine.dispose()

    def checked_out(self) -> int:
        """Connections lent out of the pool now (0 when idle; more at rest is a leak)."""
        pool = self.engine.pool
        counter = getattr(pool, "checkedout", None)
        return int(counter()) if callable(counter) else 0


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    return Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None


def libpq_url(url: str) -> str:
    """A PostgreSQL URL in the form libpq tools (pg_dump, psql) read."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# SQLSTATEs that mean the server cannot be used now: connection exceptions (class 08), the
# server shutting down or starting up (57P01-57P03), and no connection slot free (53300).
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")


def _causes(error: BaseException) -> list[BaseException]:
    """The error, the driver's error it wraps, and what that was raised from."""
    found: list[BaseException] = []
    pending = [error]
    while pending:
        current = pending.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        pending += [e for e in (getattr(current, "orig", None), current.__cause__) if e]
    return found


def is_unavailable(error: BaseException) -> bool:
    """Whether an error means the database cannot be used right now (down, unreachable,
    shutting down, read-only, full) rather than a fault in what was asked of it."""
    if isinstance(error, exc.OperationalError | exc.InterfaceError | exc.DisconnectionError):
        return True
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, ConnectionError | TimeoutError):
        return True
    # Inside a database error, look at what the driver raised (not inside any other error: a
    # Telegram timeout is no database outage).
    for cause in _causes(error) if isinstance(error, exc.DBAPIError) else [error]:
        if isinstance(cause, ConnectionError | TimeoutError):
            return True
        if type(cause).__module__.startswith("asyncpg"):
            # asyncpg raises its own errors when a connection is refused or dropped mid-query,
            # and the server's own when it is shutting down ("cannot connect now").
            state = str(getattr(cause, "sqlstate", "") or "")
            if "Connection" in type(cause).__name__ or state.startswith(_UNAVAILABLE_STATES):
                return True
    return False
