"""Queries on the console's one-time login links. Functions take the session first and never
commit. Only a hash of each link's secret is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ConsoleLogin


async def add(
    session: AsyncSession, *, token_hash: str, telegram_id: int, now: datetime, expires: datetime
) -> None:
    """Keep a new link (and forget the links that can no longer be used)."""
    await session.exec(delete(ConsoleLogin).where(col(ConsoleLogin.expires_at) < now))
    session.add(
        ConsoleLogin(
            token_hash=token_hash, telegram_id=telegram_id, created_at=now, expires_at=expires
        )
    )
    await session.flush()


async def redeem(session: AsyncSession, *, token_hash: str, now: datetime) -> int | None:
    """Use a link once: the user it was made for, if it is unused and unexpired (of two uses
    in flight one wins); None otherwise."""
    result = await session.exec(
        update(ConsoleLogin)
        .where(
            col(ConsoleLogin.token_hash) == token_hash,
            col(ConsoleLogin.used_at).is_(None),
            col(ConsoleLogin.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(ConsoleLogin.telegram_id))
    )
    row = result.first()
    return int(row[0]) if row is not None else None
