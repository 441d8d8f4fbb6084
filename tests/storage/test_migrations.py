import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import select

from storage.db import Database
from storage.migrate import (
    alembic_config,
    current_revision,
    drift,
    head_revision,
    heads,
    upgrade,
)
from storage.models import Member, NoticeAudience
from storage.statuses import NoticeWay


async def test_migrated_schema_matches_the_models(db: Database) -> None:
    assert await drift(db) == []


async def test_upgrade_is_idempotent(db: Database) -> None:
    await upgrade(db)
    async with db.read() as session:
        version = (await session.exec(text("SELECT version_num FROM alembic_version"))).one()  # type: ignore[call-overload]
    head = ScriptDirectory.from_config(alembic_config(db.url)).get_current_head()
    assert version[0] == head == head_revision() == await current_revision(db)


async def _migrate(db: Database, how: Callable[..., None], revision: str) -> None:
    def _run(connection: Connection) -> None:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = connection
        how(cfg, revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(_run)


async def test_0013_keeps_who_was_unreachable_and_how_audiences_were_reached(
    db: Database,
) -> None:
    """Members the bot had stopped writing to are remembered as having blocked it; audiences
    fixed before ways were recorded went through the groups."""
    await _migrate(db, command.downgrade, "0012")
    async with db.engine.begin() as connection:
        for telegram_id, active in ((1, True), (2, False)):
            await connection.execute(
                text(
                    "INSERT INTO member (telegram_id, name, department, bday_leap,"
                    " share_birthday, hide_year, language, role, active, created_at,"
                    " updated_at) VALUES (:tid, :name, '一车间', false, false, true, 'zh',"
                    " 'member', :active, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"tid": telegram_id, "name": f"会员{telegram_id}", "active": active},
            )
        await connection.execute(
            text(
                "INSERT INTO notice (author_telegram_id, text, target, require_ack, pin, status,"
                " scheduled_at, reminders_sent, created_at) VALUES (9, '通知', 'groups', true,"
                " false, 'sent', CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO notice_audience (notice_id, member_id, department)"
                " SELECT notice.id, member.id, '一车间' FROM notice, member"
            )
        )
    await upgrade(db)
    async with db.read() as session:
        marks = (await session.exec(select(Member.telegram_id, Member.unreachable))).all()
        ways = (await session.exec(select(NoticeAudience.way))).all()
    assert sorted(marks) == [(1, None), (2, "blocked")]
    assert ways == [NoticeWay.GROUP, NoticeWay.GROUP]


def test_a_restart_at_the_newest_revision_starts_without_alembic(db: Database) -> None:
    """Alembic, Mako and Pygments load only when there is something to migrate: the bot's start
    on a database already migrated (every restart after the first) checks it with one query."""
    code = (
        "import asyncio, sys, bot.app; "
        "from storage.db import Database; from storage.migrate import upgrade; "
        "db = Database(sys.argv[1]); asyncio.run(upgrade(db)); asyncio.run(db.dispose()); "
        "print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, db.url], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"


def test_the_head_is_read_through_a_merge_of_two_branches(tmp_path: Path) -> None:
    """`alembic merge` names both branches as the predecessors, in a tuple."""
    files = {
        "0014_a.py": "revision: str = '0014'\ndown_revision: str | None = None\n",
        "0015_b.py": "revision: str = '0015b'\ndown_revision: str | None = '0014'\n",
        "0015_c.py": (
            'revision = "0015c"\ndown_revision: Union[str, Sequence[str], None] = "0014"\n'
        ),
        "0016_merge.py": "revision: str = '0016'\ndown_revision = ('0015b', '0015c')\n",
    }
    for name, source in files.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    assert heads(tmp_path) == {"0016"}
    (tmp_path / "0016_merge.py").unlink()
    assert heads(tmp_path) == {"0015b", "0015c"}
