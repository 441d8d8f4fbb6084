"""Column helpers and sizes the table modules share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column
from sqlmodel import Field

from storage.types import UTCDateTime

NAME_MAX = 32
DEPARTMENT_MAX = 32


def utc(*, nullable: bool = False, index: bool = False) -> Any:
    """A timezone-aware UTC timestamp column."""
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))
