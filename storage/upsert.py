"""INSERT … ON CONFLICT in the session's own dialect: the one way storage writes a row that may
already be there. Each dialect's construct is imported when first used, so a bot on SQLite
never loads PostgreSQL's (nor the other way round)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlmodel.ext.asyncio.session import AsyncSession

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert

    Upsert: TypeAlias = PostgresInsert | SqliteInsert


def insert(session: AsyncSession, table: Any) -> Upsert:
    """An INSERT that can take an ON CONFLICT clause on the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgres_insert

        return postgres_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_ignoring(session: AsyncSession, table: Any, keys: Sequence[str]) -> Upsert:
    """An INSERT that leaves a row already holding these key columns as it is."""
    return insert(session, table).on_conflict_do_nothing(index_elements=list(keys))
