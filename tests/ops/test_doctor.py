"""`unionbridge doctor` against the emulator: all well, then each fault staged in turn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.config import Config
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.emulator import EmulatorServer
from bot.ops.doctor import Check, diagnose
from storage import groups
from storage.db import Database
from tests.e2e.harness import harness_config

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


def _config(server: EmulatorServer, db_url: str, **changes: object) -> Config:
    config = harness_config(server, db_url, admins=[1])
    data = config.model_dump()
    for path, value in changes.items():
        section, key = path.split("__")
        data[section][key] = value
    return Config.model_validate(data)


async def _group(db_url: str, server: EmulatorServer, title: str, status: str) -> int:
    emu = server.emulator
    chat = emu.group(title, members=[5])
    emu.chats[chat].bot_status = status
    db = Database(db_url)
    async with db.begin() as session:
        group = await groups.record(
            session, chat_id=chat, title=title, bot_status="member", now=NOW
        )
        await groups.bind(session, group, department="一车间", by=5, now=NOW)
    await db.dispose()
    return chat


def _by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


async def test_a_healthy_install_passes_every_check(server: EmulatorServer, db_url: str) -> None:
    await _group(db_url, server, "一车间群", "administrator")
    checks = await diagnose(_config(server, db_url), clock=ManualClock(NOW))
    assert [c.name for c in checks if not c.ok] == [], [c.line() for c in checks]
    names = set(_by_name(checks))
    assert {"token", "mode", "database", "working-day calendar", "greeting time", "outbox"} <= names


async def test_each_fault_is_named_with_its_fix(
    server: EmulatorServer, db_url: str, tmp_path: Path
) -> None:
    emu = server.emulator
    await _group(db_url, server, "一车间群", "kicked")
    await _group(db_url, server, "二车间群", "member")
    emu.set_webhook("https://example.org/hook", None)
    db = Database(db_url)
    async with db.begin() as session:
        late = Outgoing.text(keys.calendar_unpublished(2026, 1), OutKind.ALERT, 1, "x")
        await enqueue(session, [late], now=NOW - timedelta(hours=1))
    await db.dispose()
    config = _config(server, db_url, greetings__time="03:00")
    found = _by_name(await diagnose(config, clock=ManualClock(NOW)))
    assert not found["mode"].ok and "webhook" in found["mode"].detail
    assert not found["group «一车间群» (一车间)"].ok
    assert "pin" in found["group «二车间群» (一车间)"].detail
    assert not found["greeting time"].ok and found["greeting time"].fix
    assert not found["outbox"].ok and "3600" in found["outbox"].detail
    december = ManualClock(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    calendar = _by_name(await diagnose(config, clock=december))["working-day calendar"]
    assert not calendar.ok and "2027" in calendar.detail and "chinesecalendar" in calendar.fix

    wrong_token = config.model_copy(
        update={"telegram": config.telegram.model_copy(update={"token": "1:wrong"})}
    )
    refused = _by_name(await diagnose(wrong_token, clock=ManualClock(NOW)))["token"]
    assert not refused.ok and "@BotFather" in refused.fix

    bare = f"sqlite+aiosqlite:///{tmp_path / 'never-migrated.db'}"
    unmigrated = _by_name(await diagnose(_config(server, bare), clock=ManualClock(NOW)))
    assert not unmigrated["database"].ok and "db upgrade" in unmigrated["database"].fix
