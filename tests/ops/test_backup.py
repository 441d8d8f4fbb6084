"""A backup taken while the bot writes restores to a current schema with every row that was
committed before it began; a restore will not overwrite data unless forced."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.ops.backup import BackupError, backup, restore
from storage import members
from storage.db import Database
from storage.migrate import drift, upgrade
from tests.databases import POSTGRES_ENV

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


async def _burst(
    db: Database, stop: asyncio.Event, committed: list[int], enough: asyncio.Event
) -> None:
    """Members added one transaction at a time until told to stop; `enough` once 50 are."""
    index = 0
    while not stop.is_set():
        async with db.begin() as session:
            member = await members.add(
                session,
                now=NOW,
                telegram_id=10_000 + index,
                name=f"工友{index}",
                department="一车间",
            )
        assert member.id is not None
        committed.append(member.id)
        if len(committed) >= 50:
            enough.set()
        index += 1
        await asyncio.sleep(0)


async def _fresh_target(db_url: str, tmp_path: Path) -> tuple[str, str | None]:
    """An empty database of the same kind as `db_url` (and its name, to drop, on PostgreSQL)."""
    if db_url.startswith("sqlite"):
        return f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}", None
    name = f"ub_restore_{uuid.uuid4().hex[:8]}"
    admin = make_url(os.environ[POSTGRES_ENV]).render_as_string(hide_password=False)
    engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return make_url(db_url).set(database=name).render_as_string(hide_password=False), name


async def _drop(name: str | None) -> None:
    if name is None:
        return
    admin = make_url(os.environ[POSTGRES_ENV]).render_as_string(hide_password=False)
    engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


async def test_a_backup_during_a_write_burst_restores_every_committed_row(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    stop, enough, committed = asyncio.Event(), asyncio.Event(), []
    writer = asyncio.create_task(_burst(db, stop, committed, enough))
    await enough.wait()
    before = list(committed)
    file = tmp_path / "union.backup"
    await asyncio.to_thread(backup, db_url, file)
    stop.set()
    await writer
    assert len(committed) > len(before)

    target, name = await _fresh_target(db_url, tmp_path)
    try:
        await asyncio.to_thread(restore, target, file)
        restored = Database(target)
        await upgrade(restored)
        assert await drift(restored) == []
        async with restored.read() as session:
            found = [await members.get(session, member_id) for member_id in before]
        present = {m.id for m in found if m is not None}
        await restored.dispose()
        assert set(before) <= present
    finally:
        await _drop(name)


async def test_a_restore_will_not_overwrite_data_unless_forced(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    async with db.begin() as session:
        await members.add(session, now=NOW, telegram_id=1, name="留着的人", department="一车间")
    file = tmp_path / "union.backup"
    await asyncio.to_thread(backup, db_url, file)
    with pytest.raises(BackupError, match="already holds data"):
        await asyncio.to_thread(restore, db_url, file)
    await db.dispose()
    await asyncio.to_thread(restore, db_url, file, force=True)
    async with db.read() as session:
        kept = await members.get_by_telegram_id(session, 1)
    assert kept is not None and kept.name == "留着的人"
    with pytest.raises(BackupError, match="no such backup"):
        await asyncio.to_thread(restore, db_url, tmp_path / "missing.backup")
