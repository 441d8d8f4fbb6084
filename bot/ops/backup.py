"""`unionbridge backup FILE` and `unionbridge restore FILE`.

SQLite is copied through its online backup API, page by page, consistent even while the bot
writes; PostgreSQL through pg_dump's custom format and pg_restore. A restore refuses to
overwrite a database that holds data unless forced."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from storage.db import Database, libpq_url, sqlite_file
from storage.migrate import user_tables_with_rows


class BackupError(Exception):
    """Why a backup or restore could not be done, worded for the admin running it."""


def _sqlite_path(url: str) -> Path:
    path = sqlite_file(url)
    if path is None:
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return path


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while another connection writes."""
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def _run(command: list[str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed: apt install postgresql-client")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-400:]}")


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the database to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"{source}: no such database file")
        _copy_sqlite(source, target)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", libpq_url(url)])


async def _occupied(url: str) -> list[str]:
    db = Database(url)
    try:
        return await user_tables_with_rows(db)
    finally:
        await db.dispose()


def restore(url: str, source: Path, *, force: bool = False) -> None:
    """Replace the database with the backup in `source` (refused over data unless `force`).
    Stop the bot first: a restore under a running bot would be overwritten by it."""
    if not source.exists():
        raise BackupError(f"{source}: no such backup file")
    occupied = asyncio.run(_occupied(url)) if _exists(url) else []
    if occupied and not force:
        names = ", ".join(occupied[:5])
        raise BackupError(
            f"the database already holds data ({names}); restoring would replace it. "
            "Run again with --force if that is what you want."
        )
    if url.startswith("sqlite"):
        target = _sqlite_path(url)
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            staged = Path(scratch) / "restoring.db"
            with (
                closing(sqlite3.connect(source)) as saved,
                closing(sqlite3.connect(staged)) as fresh,
            ):
                saved.backup(fresh)
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            staged.replace(target)
        return
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            f"--dbname={libpq_url(url)}",
            str(source),
        ]
    )


def _exists(url: str) -> bool:
    return not url.startswith("sqlite") or _sqlite_path(url).exists()
