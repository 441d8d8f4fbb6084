"""The `unionbridge` command line: run, db upgrade, check-config, backup, restore, doctor,
import-members, pseudonym, sandbox."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from bot.config import TOKEN_ENV, Config, ConfigError, load_config

log = logging.getLogger("unionbridge")
# Seconds added to the system clock: several processes given the same offset agree on a
# time of day that is not now (rehearsing a morning, testing instances across 08:00).
CLOCK_OFFSET_ENV = "UNIONBRIDGE_CLOCK_OFFSET_SECONDS"


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def _upgrade(url: str) -> None:
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


def cmd_run(config: Config, role: str = "all", ops_port: int | None = None) -> int:
    if not config.token:
        print(
            f"unionbridge: no bot token; set {TOKEN_ENV}=<token from @BotFather> "
            "or [telegram] token in config.toml",
            file=sys.stderr,
        )
        return 2
    from bot import lifecycle
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.clock import SystemClock
    from bot.process import ProcessRole
    from bot.sandbox.clock import ShiftedClock
    from storage.db import Database

    _setup_logging()
    clock: SystemClock | ShiftedClock = SystemClock()
    if offset := os.environ.get(CLOCK_OFFSET_ENV):
        clock = ShiftedClock()
        clock.advance(timedelta(seconds=float(offset)))
        log.warning("the clock runs %s s off the system's (%s)", offset, CLOCK_OFFSET_ENV)
    asyncio.run(_upgrade(config.database.url))
    if ops_port is not None:
        config = config.model_copy(update={"ops": config.ops.model_copy(update={"port": ops_port})})
    process_role = ProcessRole(role)
    settings = config.database
    db = Database(settings.url, pool_size=settings.pool_size, max_overflow=settings.max_overflow)
    application = build_application(config, db=db, clock=clock, role=process_role)
    telegram = config.telegram
    if not process_role.takes_updates:
        asyncio.run(lifecycle.run_until_signalled(application))
    elif telegram.mode == "webhook":
        asyncio.run(lifecycle.run_webhook(application, telegram.webhook))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def cmd_db_upgrade(config: Config) -> int:
    _setup_logging()
    asyncio.run(_upgrade(config.database.url))
    print("database is at the latest schema")
    return 0


def cmd_check_config(path: Path | None) -> int:
    config = load_config(path)
    source = path or Path("config.toml")
    token = "set" if config.token else f"missing (set {TOKEN_ENV} or [telegram] token)"
    union = config.union
    print(
        f"{source}: OK — union {union.name!r}, {len(union.departments)} departments, token {token}"
    )
    return 0


def cmd_backup(config: Config, file: Path) -> int:
    from bot.ops.backup import BackupError, backup

    try:
        backup(config.database.url, file)
    except BackupError as exc:
        print(f"unionbridge backup: {exc}", file=sys.stderr)
        return 1
    print(f"backed up to {file}")
    return 0


def cmd_restore(config: Config, file: Path, *, force: bool) -> int:
    from bot.ops.backup import BackupError, restore

    try:
        restore(config.database.url, file, force=force)
    except BackupError as exc:
        print(f"unionbridge restore: {exc}", file=sys.stderr)
        return 1
    asyncio.run(_upgrade(config.database.url))  # a backup from an older version catches up
    print(f"restored from {file}")
    return 0


def cmd_doctor(config: Config) -> int:
    from bot.clock import SystemClock
    from bot.ops.doctor import diagnose

    if not config.token:
        print(f"✗ token: none set\n    fix: set {TOKEN_ENV}=<token from @BotFather>")
        return 1
    checks = asyncio.run(diagnose(config, clock=SystemClock()))
    for check in checks:
        print(check.line())
    failed = sum(1 for check in checks if not check.ok)
    print("all checks passed" if not failed else f"{failed} check(s) need attention")
    return 1 if failed else 0


def cmd_import_members(config: Config, file: Path, *, skip_bad_rows: bool) -> int:
    from bot.members.roster_command import import_members

    _setup_logging()
    logging.getLogger("unionbridge").setLevel(logging.WARNING)
    return asyncio.run(import_members(config, file, skip_bad_rows=skip_bad_rows))


def cmd_pseudonym(config: Config, telegram_id: int) -> int:
    """Print the pseudonym this install's logs use for a Telegram id."""
    from bot import privacy

    if not (config.privacy.log_key or config.token):
        print(
            "unionbridge: no [privacy] log_key and no bot token: the logs' key is unknown",
            file=sys.stderr,
        )
        return 2
    privacy.install(privacy.key_for(config.privacy, config.token))
    print(privacy.pseudonym(telegram_id))
    return 0


def cmd_sandbox(*, host: str, port: int) -> int:
    """The offline demo: no token, no phone, no internet."""
    from bot.sandbox.runner import run_sandbox

    _setup_logging()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_sandbox(host=host, port=port))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="unionbridge", description="Union Bridge (工会桥) bot")
    parser.add_argument(
        "--config", type=Path, default=None, help="config file (default ./config.toml)"
    )
    # `unionbridge run --config PATH` works as well as `unionbridge --config PATH run`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, help="config file (default ./config.toml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help)

    run = command("run", help="run the bot (applies pending migrations first)")
    run.add_argument(
        "--role",
        choices=["all", "updates", "worker"],
        default="all",
        help="updates: take updates only; worker: deliver the outbox and run the jobs; "
        "all (default): both",
    )
    run.add_argument(
        "--ops-port",
        type=int,
        default=None,
        help="serve /healthz and /metrics on this port instead of [ops] port (one per process)",
    )
    db = command("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply pending migrations", parents=[common])
    check = command("check-config", help="validate a config file")
    check.add_argument("path", type=Path, nargs="?", default=None)
    save = command("backup", help="write a consistent copy of the database to FILE")
    save.add_argument("file", type=Path)
    back = command("restore", help="replace the database with a backup (stop the bot first)")
    back.add_argument("file", type=Path)
    back.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    command("doctor", help="check the token, the database, the groups, the calendar, the outbox")
    imp = command("import-members", help="import a roster from CSV or XLSX")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows even if some are rejected",
    )
    alias = command(
        "pseudonym", help="the keyed hash that stands for a Telegram user id in the logs"
    )
    alias.add_argument("telegram_id", type=int)
    sandbox = command(
        "sandbox", help="try the bot offline: a local chat page on the emulator, with demo data"
    )
    sandbox.add_argument("--port", type=int, default=8765, help="the page's port (default 8765)")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to serve on")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # PTB 22 reports retry_after as int unless opted in to its future timedelta form.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    try:
        if args.command == "check-config":
            return cmd_check_config(args.path or args.config)
        if args.command == "sandbox":
            return cmd_sandbox(host=args.host, port=args.port)
        config = load_config(args.config)
        if args.command == "run":
            return cmd_run(config, args.role, args.ops_port)
        if args.command == "db":
            return cmd_db_upgrade(config)
        if args.command == "doctor":
            return cmd_doctor(config)
        if args.command == "backup":
            return cmd_backup(config, args.file)
        if args.command == "restore":
            return cmd_restore(config, args.file, force=args.force)
        if args.command == "pseudonym":
            return cmd_pseudonym(config, args.telegram_id)
        return cmd_import_members(config, args.file, skip_bad_rows=args.skip_bad_rows)
    except ConfigError as exc:
        print(f"unionbridge: {exc}", file=sys.stderr)
        return 2
