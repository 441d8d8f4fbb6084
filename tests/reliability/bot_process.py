"""The bot as a real process (`python -m bot run`) on the local emulator, and members who use
it as people do: they write or press, wait for the answer, and when none comes (the process
was killed) they try again once it is back.

A kill plan names the actions (counted across the whole day) after which the process is
SIGKILLed, each after a short delay, so the kill lands before, during or after the writes the
action causes; the process is started again at once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.emulator import Emulator, EmulatorServer, SentMessage
from storage.models import Outbox
from storage.statuses import OutboxKind
from tests.e2e.catalogue import says

ANSWER_SECONDS = 15.0
START_SECONDS = 60.0
Expect = Callable[[SentMessage], bool]
CLOCK_OFFSET_ENV = "UNIONBRIDGE_CLOCK_OFFSET_SECONDS"
# The day the script plays, from noon in Shanghai: the bot's clock is moved there, so a run
# never crosses midnight (which would change whose birthday it is) nor meets a 29 February.
PLAYED_DAY = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
_OFFSET_SECONDS = (PLAYED_DAY - datetime.now(UTC)).total_seconds()


def played_now() -> datetime:
    """Now on the bot's clock (the played day), for what the script writes itself."""
    return datetime.now(UTC) + timedelta(seconds=_OFFSET_SECONDS)


class Interrupted(Exception):
    """The bot was killed before it answered."""


def key(name: str, /, **values: object) -> Expect:
    """A message that says catalogue `name` (zh)."""
    return lambda message: says(message, name, **values)


def button(text: str) -> Expect:
    """A message with a button whose label contains `text`."""
    return lambda message: any(text in shown for shown, _ in message.buttons())


def either(*expects: Expect) -> Expect:
    """A message any of `expects` recognises."""
    return lambda message: any(expect(message) for expect in expects)


def config_text(server: EmulatorServer, db_url: str, *, admins: list[int]) -> str:
    return (
        f'[telegram]\nbase_url = "{server.base_url}"\n'
        f'[database]\nurl = "{db_url}"\n'
        '[union]\nname = "东风机械厂工会"\ndepartments = ["一车间", "二车间"]\n'
        f"admins = {admins}\n"
        # A short lease: a killed process's claims go back to the outbox after 10 s. One send
        # at a time, so "the message in flight" when the process is killed is exactly one.
        "[delivery]\nlease_seconds = 10\npoll_seconds = 0.05\nsend_timeout_seconds = 10\n"
        "concurrency = 1\n"
        "[limits]\noverall_per_second = 1000\ngroup_per_minute = 10000\n"
        '[greetings]\ntime = "00:00"\n'  # due all day: every start's first tick may run it
        "[ops]\nenabled = false\n"
    )


class RecordingEmulator(Emulator):
    """The emulator, also keeping every message as it was first sent (an edit changes the
    chat's copy in place), to count copies of what the outbox delivered."""

    def __init__(self) -> None:
        super().__init__()
        self.first_sent: list[tuple[int, str]] = []

    def record(
        self,
        chat_id: int,
        *,
        text: str,
        html: str,
        markup: dict[str, Any] | None,
        kind: str = "text",
        file_name: str | None = None,
        file_bytes: bytes | None = None,
    ) -> SentMessage:
        self.first_sent.append((chat_id, html))
        return super().record(
            chat_id,
            text=text,
            html=html,
            markup=markup,
            kind=kind,
            file_name=file_name,
            file_bytes=file_bytes,
        )


class BotProcess:
    """`python -m bot --config … run`, started, SIGKILLed and started again."""

    def __init__(self, server: EmulatorServer, config: Path, log: Path) -> None:
        self.server = server
        self.config = config
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        emu = self.server.emulator
        polled = emu.calls["getupdates"]
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "--config",
                str(self.config),
                "run",
                env={
                    **os.environ,
                    "UNIONBRIDGE_TOKEN": emu.token,
                    CLOCK_OFFSET_ENV: f"{_OFFSET_SECONDS:.3f}",
                },
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
            )
        self.starts += 1
        async with asyncio.timeout(START_SECONDS):
            while emu.calls["getupdates"] <= polled:  # polling: it takes updates again
                if self.process.returncode is not None:
                    raise AssertionError(f"the bot exited with {self.process.returncode}")
                await emu.wait_changed(0.05)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        """A clean stop (SIGTERM), as at the end of the day."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(30):
                await self.process.wait()
        except TimeoutError:
            await self.kill()


class Members:
    """The people using the bot: every action they take is counted, and the kill plan may
    kill the bot right after one."""

    def __init__(self, bot: BotProcess, plan: dict[int, float]) -> None:
        self.bot = bot
        self.emu: Emulator = bot.server.emulator
        self.plan = plan
        self.actions = 0
        self.kills = 0

    async def _after(self, found: Callable[[], SentMessage | None]) -> SentMessage:
        """Wait for the answer; if this action is one the plan kills after, kill the bot
        (after the planned delay) and start it again, and raise Interrupted if the answer
        did not come before the kill."""
        index, self.actions = self.actions, self.actions + 1
        delay = self.plan.get(index)
        if delay is not None:
            await asyncio.sleep(delay)
            await self.bot.kill()
            self.kills += 1
            await self.bot.start()
            answer = found()
            if answer is None:
                raise Interrupted
            return answer
        try:
            async with asyncio.timeout(ANSWER_SECONDS):
                while (answer := found()) is None:
                    await self.emu.wait_changed(0.05)
        except TimeoutError:
            raise AssertionError(f"no answer to action {index}") from None
        return answer

    def _new(self, chat_id: int, before: int, expect: Expect) -> SentMessage | None:
        for message in self.emu.chat_messages(chat_id)[before:]:
            if expect(message):
                return message
        return None

    async def send(self, user: int, text: str, expect: Expect) -> SentMessage:
        """The user writes `text` privately; returns the answer `expect` recognises."""
        before = len(self.emu.chat_messages(user))
        self.emu.send_text(user, text)
        return await self._after(lambda: self._new(user, before, expect))

    async def press(
        self, user: int, message: SentMessage, text: str, expect: Expect | None = None
    ) -> SentMessage:
        """The user presses the button labelled `text` on `message`; the answer is a new
        message or the pressed one redrawn that `expect` recognises (or, with no `expect`,
        the press answered)."""
        current = self.emu.messages[(message.chat_id, message.message_id)]
        data = next((d for shown, d in current.buttons() if text in shown), None)
        assert data is not None, f"no button {text!r} among {current.buttons()}"
        before = len(self.emu.chat_messages(message.chat_id))
        update = self.emu.press(user, current, data)
        query = update["callback_query"]["id"]

        def found() -> SentMessage | None:
            if not self.emu.callback_answers[query]:
                return None
            if expect is None:
                return current
            now = self.emu.messages[(current.chat_id, current.message_id)]
            return now if expect(now) else self._new(current.chat_id, before, expect)

        return await self._after(found)

    async def press_all(self, presses: list[tuple[int, SentMessage, str]]) -> None:
        """Several users press at the same moment (a race); one action for the plan."""
        queries = []
        for user, message, text in presses:
            current = self.emu.messages[(message.chat_id, message.message_id)]
            data = next((d for shown, d in current.buttons() if text in shown), None)
            assert data is not None, f"no button {text!r} among {current.buttons()}"
            queries.append(self.emu.press(user, current, data)["callback_query"]["id"])

        def found() -> SentMessage | None:
            answered = all(self.emu.callback_answers[q] for q in queries)
            return presses[0][1] if answered else None

        await self._after(found)


async def again(action: Callable[[], Awaitable[SentMessage]]) -> SentMessage:
    """Do one action until it is answered (asked again after a kill cut it off)."""
    for _ in range(8):
        try:
            return await action()
        except Interrupted:
            continue
    raise AssertionError("never answered")


async def journey(
    members: Members, goal: Callable[[], Awaitable[bool]], steps: Callable[[], Awaitable[Any]]
) -> int:
    """Take the steps until the goal holds, starting over when the bot was killed midway
    (what the steps expected may then never come: the form restarted, the button was already
    used). Returns how many times the steps were started."""
    attempts, kills = 0, members.kills
    while not await goal():
        attempts += 1
        try:
            await steps()
        except Interrupted:
            continue
        except AssertionError:
            if members.kills == kills:
                raise  # no kill to explain it: a real failure
        assert attempts < 8, "the journey never reached its goal"
    return attempts


def outbox_copies(emu: Emulator, sent: Sequence[Outbox]) -> tuple[int, int, int]:
    """For each row the outbox marked sent, how many copies of its first part the chat got as
    first sent: the copies beyond one (all rows, and the greetings), and the rows with none."""
    assert isinstance(emu, RecordingEmulator)
    shown = Counter(emu.first_sent)
    extra = greetings = missing = 0
    for row in sent:
        parts = row.payload.get("parts") or [{}]
        if row.kind == OutboxKind.EDIT or "text" not in parts[0]:
            continue  # an edit of a message already counted
        copies = shown[(row.chat_id, parts[0]["text"])]
        missing += copies == 0
        extra += max(0, copies - 1)
        greetings += max(0, copies - 1) if row.kind == OutboxKind.GREETING else 0
    return extra, greetings, missing


__all__ = [
    "BotProcess",
    "Interrupted",
    "Members",
    "RecordingEmulator",
    "again",
    "button",
    "either",
    "journey",
    "key",
]
