"""Logs that keep secrets, through the real bot: a refusal, a failed update and a case leave
lines that name the person by their pseudonym (what `unionbridge pseudonym` prints), never by
their Telegram id, and never carry what they wrote. The session-wide audit
(tests/log_audit.py) is checked here too: it does catch a raw id and a secret."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy

from bot import privacy
from bot.clock import ManualClock
from bot.emulator import EmulatorServer, Fault
from bot.emulator.model import ApiError
from bot.privacy.settings import PrivacyConfig
from storage.db import Database
from tests.e2e.catalogue import said, says
from tests.e2e.flows import register
from tests.e2e.harness import Harness, harness_config
from tests.log_audit import LogAudit

pytestmark = pytest.mark.e2e
GUEST, WORKER = 62_001, 62_002
SECRET = "车间主任扣了我三个月的夜班补贴，还不让说出去"


@pytest.fixture
async def harness(
    server: EmulatorServer, db_url: str, clock: ManualClock
) -> AsyncIterator[Harness]:
    running = Harness(server, harness_config(server, db_url, admins=[]), clock)
    await running.start()
    yield running
    await running.stop()


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]


async def _report_a_case(h: Harness, user: int, text: str) -> None:
    [ask] = await h.send(user, "/report")
    await h.press_label(user, ask, "工资待遇")
    [noted] = await h.send(user, text)
    assert says(noted, "report_noted")
    [who], _ = await h.press_key(user, noted, "btn_report_done")
    await h.press_key(user, who, "btn_named")
    await h.press_key(user, who, "btn_report_send")
    assert says(h.current(who), "report_sent")
    await h.drain()


async def test_a_refusal_an_error_and_a_case_are_logged_by_pseudonym_only(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    caplog.set_level(logging.INFO)
    await register(h, WORKER, "王小明")
    h.emu.user(GUEST, "路人")
    [refused] = await h.send(GUEST, "/me")
    assert says(refused, "register_first")
    h.emu.faults.append(Fault("sendmessage", ApiError(400, "Bad Request: injected"), WORKER))
    said(await h.send(WORKER, "/me"), "internal_error")
    await _report_a_case(h, WORKER, SECRET)
    lines = _lines(caplog)
    guest, worker = privacy.pseudonym(GUEST), privacy.pseudonym(WORKER)
    assert any("refused on_me" in line and guest in line for line in lines), lines
    assert any("failed" in line and worker in line for line in lines), lines
    everything = "\n".join(lines)
    for raw in (str(GUEST), str(WORKER), SECRET, "王小明"):
        assert raw not in everything, raw


async def test_the_cli_prints_the_pseudonym_the_bot_logs(
    harness: Harness, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    h = harness
    caplog.set_level(logging.INFO)
    h.emu.user(GUEST, "路人")
    await h.send(GUEST, "/me")
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\ntoken = "{h.config.token}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "UNIONBRIDGE_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "pseudonym", str(GUEST),
        stdout=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    printed = out.decode().strip()
    assert process.returncode == 0 and len(printed) == privacy.DIGITS
    assert any(f"user {printed} " in line for line in _lines(caplog))


async def test_a_failed_statement_says_what_failed_without_the_values(db: Database) -> None:
    statement = sqlalchemy.text("SELECT * FROM members WHERE name = :name AND nothing = 1")
    with pytest.raises(sqlalchemy.exc.DBAPIError) as failure:
        async with db.engine.connect() as connection:
            await connection.execute(statement, {"name": SECRET})
    assert "nothing" in str(failure.value) and SECRET not in str(failure.value)


def test_pseudonyms_depend_on_the_key_and_a_set_key_wins_over_the_token() -> None:
    one = privacy.key_for(PrivacyConfig(), "123:token-a")
    other = privacy.key_for(PrivacyConfig(), "123:token-b")
    chosen = privacy.key_for(PrivacyConfig(log_key="install secret"), "123:token-a")
    assert len({one, other, chosen}) == 3
    assert chosen == privacy.key_for(PrivacyConfig(log_key="install secret"), "123:token-b")


def test_the_audit_catches_a_raw_id_and_a_private_text_but_not_a_pseudonym() -> None:
    from bot.emulator import Emulator

    emu = Emulator()
    emu.user(GUEST, "路人")
    emu.user(WORKER, "王小明")
    emu.send_text(GUEST, SECRET)
    audit = LogAudit()
    audit.remember(emu)
    log = logging.getLogger("tests.audit_probe")
    log.addHandler(audit)
    log.propagate = False
    try:
        log.warning("refused on_me to user %s", privacy.Pseudonym(GUEST))
        log.warning("update 7 for chat %s", privacy.ChatLabel(-4_000_001))
        assert not audit.findings()
        log.warning("refused on_me to user %s", GUEST)
        log.info("a case: %s", SECRET)
        log.debug("below INFO the audit does not look: %s", WORKER)
    finally:
        log.removeHandler(audit)
    found = audit.findings()
    assert list(found.ids) == [GUEST] and list(found.texts) == [SECRET]
