"""Shared fixtures: databases on every configured backend, clocks, and the e2e harness; and
the audit of the session's logs (tests/log_audit.py), which fails the run if a line carries a
test person's raw Telegram id or what they wrote in private."""

from __future__ import annotations

import os

# Opt in to PTB's timedelta retry_after now (the bot handles both forms).
os.environ.setdefault("PTB_TIMEDELTA", "1")

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.emulator import Emulator, EmulatorServer
from storage.db import Database
from tests import log_audit
from tests.databases import PostgresTemplate, SqliteTemplate, backends


def pytest_configure(config: pytest.Config) -> None:
    log_audit.install()
    log_audit.share_folder(config)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    findings = log_audit.finish(session)
    if findings:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_sep("=", "log audit: secrets in the logs", red=True)
            reporter.write_line(findings)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    template = PostgresTemplate()
    yield template
    template.drop()


@pytest.fixture(params=backends())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL on each backend under test."""
    if request.param == "sqlite":
        template: SqliteTemplate = request.getfixturevalue("sqlite_template")
        return template.fresh_url(tmp_path)
    postgres: PostgresTemplate = request.getfixturevalue("postgres_template")
    await postgres.reset()
    return postgres.url


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    # A Tuesday morning in Shanghai (01:30 UTC = 09:30 CST).
    return ManualClock(datetime(2026, 11, 24, 1, 30, tzinfo=UTC))


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    """The local Bot API emulator on a free loopback port."""
    emulator_server = EmulatorServer(Emulator())
    await emulator_server.start()
    yield emulator_server
    await emulator_server.stop()
    log_audit.remember(emulator_server.emulator)
