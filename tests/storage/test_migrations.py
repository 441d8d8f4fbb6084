from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.db import Database
from storage.migrate import alembic_config, drift, upgrade


async def test_migrated_schema_matches_the_models(db: Database) -> None:
    assert await drift(db) == []


async def test_upgrade_is_idempotent(db: Database) -> None:
    await upgrade(db)
    async with db.read() as session:
        version = (await session.exec(text("SELECT version_num FROM alembic_version"))).one()  # type: ignore[call-overload]
    head = ScriptDirectory.from_config(alembic_config(db.url)).get_current_head()
    assert version[0] == head
