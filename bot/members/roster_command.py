"""`unionbridge import-members`: read, check and save a roster, with progress and a report."""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from bot.clock import SystemClock, local_today
from bot.config import Config
from bot.members.roster_file import RosterFileError, check_rows, read_table
from bot.members.roster_import import ImportReport, save_rows
from bot.strings import t
from storage.db import Database
from storage.migrate import upgrade


class _Rollback(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("rolled back")
        self.report = report


def _print_report(report: ImportReport, config: Config, *, saved: bool) -> None:
    lang = config.union.default_language
    for problem in report.problems:
        reason = t(lang, problem.key, **problem.params)
        print(t(lang, "roster_row_rejected", line=problem.line, reason=reason), file=sys.stderr)
    key = "roster_summary" if saved else "roster_nothing_saved"
    print(
        t(
            lang,
            key,
            created=report.created,
            updated=report.updated,
            kept=report.kept,
            rejected=len(report.problems),
        )
    )


async def import_members(config: Config, file: Path, *, skip_bad_rows: bool) -> int:
    lang = config.union.default_language
    clock = SystemClock()
    try:
        table = read_table(file)
        rows = list(
            check_rows(
                table,
                departments=config.union.departments,
                today=local_today(clock, config.union.zone),
            )
        )
    except FileNotFoundError:
        print(t(lang, "roster_no_file", path=str(file)), file=sys.stderr)
        return 2
    except RosterFileError as exc:
        print(t(lang, exc.key, **exc.params), file=sys.stderr)
        return 2
    db = Database(config.database.url)
    try:
        await upgrade(db)
        async with db.begin() as session:
            progress = tqdm(rows, desc="import", unit="row", file=sys.stderr)
            report = await save_rows(session, progress, now=clock.now())
            if report.problems and not skip_bad_rows:
                raise _Rollback(report)
    except _Rollback as rollback:
        _print_report(rollback.report, config, saved=False)
        return 1
    finally:
        await db.dispose()
    _print_report(report, config, saved=True)
    return 0
