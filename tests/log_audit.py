"""The logs of the whole test session, audited: every record at INFO or above is kept, and at
the end of the session none may carry a raw Telegram user id of a person the tests made up,
nor anything such a person wrote in private (a case, a consultation, a hardship application
— the bot is told these in confidence).

Who the people are and what they wrote is learnt from the emulators the fixtures start
(`remember`), after the fact, so a line logged before its person was known is still caught.
Keeping a record costs one formatted message; the search runs once, at the end."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.emulator import Emulator

# Telegram ids under this are too short to tell apart from counts and row ids in a line.
SMALLEST_ID = 10_000
# A private message shorter than this is a button's worth of text (a name, "是"), not a secret.
SHORTEST_SECRET = 8
# A number standing alone: not inside a hexadecimal pseudonym, not part of a longer number.
_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{5,}(?![0-9A-Za-z])")


@dataclass
class Findings:
    ids: dict[int, str] = field(default_factory=dict)  # a raw id -> the first line with it
    texts: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.ids or self.texts)

    def report(self) -> str:
        lines = [f"raw Telegram id {i} logged: {line!r}" for i, line in self.ids.items()]
        lines += [f"private text {t!r} logged: {line!r}" for t, line in self.texts.items()]
        return "\n".join(lines)


class LogAudit(logging.Handler):
    """Keeps each record's text (with its exception's message) for the end-of-session check."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []
        self.people: set[int] = set()
        self.secrets: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = record.getMessage()
        except Exception:  # a broken record is logging's problem, not the audit's
            return
        if record.exc_info and record.exc_info[1] is not None:
            line += f" | {record.exc_info[1]}"
        self.lines.append(line)

    def remember(self, emulator: Emulator) -> None:
        """The people of this emulator and what they wrote in private."""
        bot_id = emulator.bot_user["id"]
        self.people |= {uid for uid in emulator.users if uid >= SMALLEST_ID and uid != bot_id}
        for (chat_id, _), message in emulator.user_messages.items():
            text = (message.get("text") or message.get("caption") or "").strip()
            if chat_id > 0 and len(text) >= SHORTEST_SECRET and not text.startswith("/"):
                self.secrets.add(text)

    def findings(self) -> Findings:
        found = Findings()
        wanted = {str(person) for person in self.people}
        for line in self.lines:
            for number in _NUMBER.findall(line):
                if number in wanted:
                    found.ids.setdefault(int(number), line)
        everything = "\n".join(self.lines)
        for secret in self.secrets:
            if secret in everything:
                found.texts[secret] = next(line for line in self.lines if secret in line)
        return found


AUDIT = LogAudit()


def install() -> None:
    """Keep every record at INFO and above, as `unionbridge run` logs them."""
    root = logging.getLogger()
    root.addHandler(AUDIT)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)


def remember(emulator: Emulator) -> None:
    AUDIT.remember(emulator)


# Under pytest-xdist each worker audits its own tests; a worker's findings reach the
# controller (which alone decides the exit status) as files in a folder they share.
SHARED_ENV = "UNIONBRIDGE_LOG_AUDIT_DIR"


def share_folder(config: pytest.Config) -> None:
    """In the controlling process, before any worker starts: a folder for their findings."""
    if not hasattr(config, "workerinput"):
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="unionbridge-log-audit-")


def finish(session: pytest.Session) -> str:
    """A worker leaves its findings for the controller and returns ""; the controller (or a
    run without workers) returns every finding of the session, "" when there is none."""
    found = AUDIT.findings()
    folder = Path(os.environ[SHARED_ENV])
    workerinput = getattr(session.config, "workerinput", None)
    if workerinput is not None:
        if found:
            (folder / f"{workerinput['workerid']}.txt").write_text(found.report())
        return ""
    reports = [path.read_text() for path in sorted(folder.glob("*.txt"))]
    if found:
        reports.append(found.report())
    shutil.rmtree(folder, ignore_errors=True)
    return "\n".join(reports)
