"""PostgreSQL connections are checked before use only after they sat idle.

SQLAlchemy's pool_pre_ping checks every checkout, and on asyncpg a check outside a transaction
is BEGIN, an empty statement and ROLLBACK: three round trips before each unit of work, more
than the work itself for most updates. A connection returned a moment ago cannot have been
lost unnoticed — a statement failing on a lost connection invalidates the whole pool — so
only one idle for longer is checked, and replaced when the check fails.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_SECONDS = 1.0
_IDLE_SINCE = "unionbridge_idle_since"


def ping_when_idle(engine: AsyncEngine, *, idle_seconds: float = IDLE_SECONDS) -> None:
    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _lent(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            dbapi_connection.ping()
        except Exception as error:
            # The pool drops this connection and lends a fresh one (or raises if it cannot).
            raise exc.DisconnectionError("the connection was lost while idle") from error
