"""What the bot loads at start: the heavy libraries only some features need wait for them."""

from __future__ import annotations

import subprocess
import sys


def test_the_application_starts_without_the_libraries_of_files_and_charts() -> None:
    """icalendar (~3 MB, a sign-up's calendar file), openpyxl (~19 MB, exports) and matplotlib
    (~36 MB, charts) are imported where they are used, which keeps the bot under 120 MB; nor
    are the console's pages (off by default) or PostgreSQL's dialect (loaded by the engine that
    uses it: a bot on SQLite never needs it)."""
    heavy = (
        "icalendar",
        "openpyxl",
        "matplotlib",
        "bot.console.routes",
        "sqlalchemy.dialects.postgresql",
    )
    code = f"import sys, bot.app; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
