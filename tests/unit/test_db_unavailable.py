"""Which database errors mean "unavailable right now" (tell members 系统忙, keep the outcomes
and wait) and which are faults in the request (log them as failures)."""

from __future__ import annotations

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import exc

from storage.db import is_unavailable


class AdaptedError(Exception):
    """What SQLAlchemy's asyncpg adapter raises, from the driver's own error."""


def _wrapped(driver_error: Exception) -> exc.DBAPIError:
    try:
        try:
            raise driver_error
        except Exception as error:
            raise AdaptedError(str(error)) from error
    except AdaptedError as adapted:
        return exc.DBAPIError("SELECT 1", None, adapted)


def _caused_by(error: Exception, cause: Exception) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "driver_error",
    [
        asyncpg.exceptions.CannotConnectNowError("the database system is shutting down"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
        ConnectionRefusedError(111, "Connection refused"),
    ],
)
def test_a_server_going_away_is_unavailable(driver_error: Exception) -> None:
    assert is_unavailable(_wrapped(driver_error))


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(asyncpg.exceptions.UniqueViolationError("duplicate key value")),
        _wrapped(asyncpg.exceptions.UndefinedColumnError('column "x" does not exist')),
        exc.IntegrityError("INSERT", None, Exception("UNIQUE constraint failed")),
        ValueError("not a database error"),
        _caused_by(RuntimeError("a send to Telegram timed out"), TimeoutError()),
    ],
)
def test_a_fault_in_the_request_is_not(error: Exception) -> None:
    assert not is_unavailable(error)


def test_sqlite_read_only_or_full_is_unavailable() -> None:
    for message in ("attempt to write a readonly database", "database or disk is full"):
        assert is_unavailable(exc.OperationalError("INSERT", None, Exception(message)))
