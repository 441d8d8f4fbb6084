"""The database goes away for half a minute in the middle of a busy morning: a 2,000-recipient
broadcast is half sent, members are racing for an activity's places, and 08:00 (the greeting
run) passes while it is down.

While it is down the bot keeps polling and answers every member with 「系统忙，请稍后再试」
(a button press with that alert, not a blank answer), and logs the outage once, not once per
update. When it is back everything queued goes out: no recipient lost, none doubled, exactly
one greeting each, and every sign-up retried is taken.

PostgreSQL: the test's own cluster is stopped (pg_ctl) and started again. SQLite: the database
file and its write-ahead log are made read-only (chattr +i: the tests run as root, for whom a
chmod would change nothing), then writable again.

The outage lasts UNIONBRIDGE_OUTAGE_SECONDS (30 s unless set), in real time; the bot's clock is
injected and moves by as much, so the outage spans 08:00.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.emulator import EmulatorServer, SentMessage
from bot.jobs import minute_tick
from bot.notices.release import release
from storage import activities, members, notices
from storage.db import Database, sqlite_file
from storage.migrate import upgrade
from storage.models import Signup
from storage.statuses import SignupState, StoredRole
from tests.databases import SqliteTemplate
from tests.e2e.catalogue import label, says
from tests.e2e.harness import Harness, harness_config
from tests.reliability import pg_cluster

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

OUTAGE_SECONDS = float(os.environ.get("UNIONBRIDGE_OUTAGE_SECONDS", "30"))
SHANGHAI = ZoneInfo("Asia/Shanghai")
GREETING_TIME = datetime(2026, 11, 24, 8, 0, tzinfo=SHANGHAI)
RECIPIENTS = 2000
BIRTHDAYS = 25  # members whose birthday is today
BURST = 40  # members racing for the activity's places; half of them press during the outage
FIRST = 300_000
CADRE = 299_000
NEWCOMER = 299_500
NOTICE = "停电检修通知：明天 8:00-12:00 二号厂房停电"
OUTAGE_LOG = "bot.ops.outage"


class Outage(Protocol):
    async def begin(self) -> None: ...
    async def end(self) -> None: ...


class StoppedCluster:
    """The test's own PostgreSQL, stopped and started again."""

    def __init__(self, cluster: pg_cluster.Cluster) -> None:
        self.cluster = cluster

    async def begin(self) -> None:
        await asyncio.to_thread(self.cluster.stop)

    async def end(self) -> None:
        await asyncio.to_thread(self.cluster.start)


class ReadOnlyFile:
    """A SQLite database whose file and write-ahead log cannot be written."""

    def __init__(self, path: Path) -> None:
        self.files = [path, path.with_name(path.name + "-wal")]

    def _chattr(self, flag: str) -> None:
        present = [str(path) for path in self.files if path.exists()]
        subprocess.run(["chattr", flag, *present], check=True, capture_output=True)

    async def begin(self) -> None:
        assert all(path.exists() for path in self.files)
        self._chattr("+i")

    async def end(self) -> None:
        self._chattr("-i")


def _can_make_read_only(probe: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        return False
    probe.touch()
    made = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False)
    subprocess.run(["chattr", "-i", str(probe)], capture_output=True, check=False)
    return made.returncode == 0


@dataclass
class Figures:
    """What the outage did, for the assertions and the report."""

    busy_replies: int = 0
    busy_alerts: int = 0
    sent_before: int = 0
    down_seconds: float = 0.0
    loud: list[str] = field(default_factory=list)  # warnings and errors logged while down


@pytest.fixture
def own_postgres() -> Iterator[pg_cluster.Cluster]:
    reason = pg_cluster.available()
    if reason is not None:
        pytest.skip(reason)
    cluster = pg_cluster.Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


def _config_for(server: EmulatorServer, url: str) -> Any:
    config = harness_config(server, url, admins=[])
    lease = max(60, int(OUTAGE_SECONDS * 3))  # the injected clock moves by the outage's length
    delivery = config.delivery.model_copy(update={"lease_seconds": lease})
    limits = config.limits.model_copy(update={"overall_per_second": 300})
    return config.model_copy(update={"delivery": delivery, "limits": limits})


async def _populate(h: Harness) -> tuple[list[int], int]:
    """2,000 registered members (some born today), a cadre, and an open activity; a notice to
    everyone is queued. Returns the members' ids and the activity's."""
    now = h.clock.now()
    today = GREETING_TIME.date()
    ids = []
    async with h.db.begin() as session:
        for index in range(RECIPIENTS):
            telegram_id = FIRST + index
            born_today = index < BIRTHDAYS
            member = await members.add(
                session,
                now=now,
                telegram_id=telegram_id,
                name=f"工友{index}",
                department="一车间",
                bday_kind="solar" if born_today else None,
                bday_month=today.month if born_today else None,
                bday_day=today.day if born_today else None,
            )
            await members.mark_registered(session, member, now=now)
            h.emu.user(telegram_id, f"工友{index}")
            h.emu.open_private(telegram_id)
            ids.append(telegram_id)
        cadre = await members.add(
            session, now=now, telegram_id=CADRE, name="陈主席", department="一车间"
        )
        await members.mark_registered(session, cadre, now=now)
        await members.set_role(session, cadre, role=StoredRole.CADRE, actor_telegram_id=1, now=now)
        h.emu.user(CADRE, "陈主席")
        h.emu.open_private(CADRE)
        starts = GREETING_TIME + timedelta(days=3, hours=9)
        activity = await activities.add(
            session,
            title="周五羽毛球",
            place="职工活动中心",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            deadline=starts - timedelta(hours=5),
            capacity=BURST,
            created_by=CADRE,
            created_at=now,
        )
        notice = await notices.add(
            session,
            author_telegram_id=CADRE,
            text=NOTICE,
            target="members",
            require_ack=False,
            scheduled_at=now,
            created_at=now,
        )
        await release(session, notice, now=now, zone=SHANGHAI, union="工会", group_lang="zh")
    assert activity.id is not None
    return ids, activity.id


def _copies(h: Harness) -> Counter[int]:
    return Counter(m.chat_id for m in h.emu.sent if "停电检修通知" in m.text)


def _greetings(h: Harness) -> Counter[int]:
    return Counter(m.chat_id for m in h.emu.sent if "生日快乐" in m.text)


async def _lists(h: Harness, people: list[int]) -> dict[int, SentMessage]:
    """Each member's /activities list, with its 报名 button."""
    for person in people:
        h.emu.send_text(person, "/activities")
    await h.settle()
    join = label("btn_act_join")
    return {
        person: next(
            m
            for m in reversed(h.emu.chat_messages(person))
            if any(join in t for t, _ in m.buttons())
        )
        for person in people
    }


async def _press_all(h: Harness, lists: dict[int, SentMessage]) -> list[dict[str, Any]]:
    """Everyone presses 报名 at once; returns how each press was answered."""
    updates = [
        h.emu.press(person, message, h.button_data(message, label("btn_act_join")))
        for person, message in lists.items()
    ]
    await h.settle()
    return [h.emu.callback_answers[u["callback_query"]["id"]] for u in updates]


async def _run_tick(h: Harness) -> None:
    """The minute tick (08:00's greeting run among it) as the JobQueue runs it: a failure
    goes to the error handler, like any job's."""
    assert h.app is not None
    try:
        await minute_tick(h.app.deps)
    except Exception as error:  # what PTB's Job.run does with a job's failure
        await h.app.process_error(None, error)


async def _wait_for(h: Harness, count: int) -> None:
    async with asyncio.timeout(60):
        while sum(_copies(h).values()) < count:
            await h.emu.wait_changed(0.05)


@contextlib.asynccontextmanager
async def _running(h: Harness) -> AsyncIterator[Harness]:
    await h.start()
    try:
        yield h
    finally:
        await h.stop()


async def _while_down(
    h: Harness,
    outage: Outage,
    lists: dict[int, SentMessage],
    seconds: float,
    log: list[logging.LogRecord],
) -> Figures:
    """The broadcast is under way; the database goes; members keep writing and pressing, and
    08:00 passes. Returns what members were told and what was logged meanwhile."""
    figures = Figures()
    loop = asyncio.get_running_loop()
    await _wait_for(h, RECIPIENTS // 10)
    logged = len(log)
    await outage.begin()
    began = loop.time()
    figures.sent_before = sum(_copies(h).values())
    answers = await _press_all(h, lists)
    busy = [a for a in answers if a["show_alert"] and says(a["text"], "system_busy")]
    figures.busy_alerts = len(busy)
    h.emu.user(NEWCOMER, "新工友")
    before = len(h.emu.sent)
    h.emu.send_text(NEWCOMER, "/start")
    await h.settle()
    told = [m for m in h.emu.sent[before:] if m.chat_id == NEWCOMER]
    figures.busy_replies = sum(1 for m in told if says(m, "system_busy"))
    h.clock.set(GREETING_TIME + timedelta(seconds=1))
    await _run_tick(h)  # 08:00 passes while the database is away
    await asyncio.sleep(max(0.0, seconds - (loop.time() - began)))
    figures.down_seconds = loop.time() - began
    figures.loud = [r.getMessage() for r in log[logged:] if r.levelno >= logging.WARNING]
    await outage.end()
    h.clock.set(GREETING_TIME + timedelta(seconds=seconds / 2))
    return figures


async def _scenario(h: Harness, outage: Outage, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    h.emu.latency = 0.005
    async with _running(h):
        ids, activity_id = await _populate(h)
        racers = ids[-BURST:]
        lists = await _lists(h, racers)
        half = BURST // 2
        early = await _press_all(h, {p: lists[p] for p in racers[:half]})
        assert all(says(a["text"], "act_join_confirmed") for a in early)
        assert h.app is not None
        h.app.deps.delivery.wake()
        late = {p: lists[p] for p in racers[half:]}
        figures = await _while_down(h, outage, late, OUTAGE_SECONDS, caplog.records)
        # After: members try again, the greeting run goes, and the outbox drains.
        again = await _press_all(h, late)
        assert all(says(a["text"], "act_join_confirmed") for a in again), again
        answers = [m for m in await h.send(NEWCOMER, "/start") if m.chat_id == NEWCOMER]
        assert any(says(m, "ask_name") for m in answers), answers  # the form starts now
        await _run_tick(h)
        await _run_tick(h)  # a second run (another instance, a restart) sends nothing twice
        await h.drain(120)
        async with h.db.read() as session:
            signups = (
                await session.exec(select(Signup).where(col(Signup.activity_id) == activity_id))
            ).all()
        assert h.app.deps.outage.outages == 1
    copies, greetings = _copies(h), _greetings(h)
    assert figures.sent_before < RECIPIENTS  # the outage came in the middle of the broadcast
    # 0 lost, 0 doubled; the author is not sent their own notice
    assert set(copies) == set(ids) and set(copies.values()) == {1}
    assert set(greetings) == set(ids[:BIRTHDAYS]) and set(greetings.values()) == {1}
    assert len(signups) == BURST and {s.state for s in signups} == {SignupState.CONFIRMED}
    assert figures.busy_alerts == BURST - half  # every press told 系统忙 (an alert, not blank)
    assert figures.busy_replies == 1  # the message told so too, not silence
    # One line when it went and one when it came back (which may be logged as soon as the
    # database answers again), none per update or job.
    lines = [r.getMessage() for r in caplog.records if r.name == OUTAGE_LOG]
    assert len(lines) == 2, lines
    assert "unavailable" in lines[0] and "back after" in lines[1], lines
    assert figures.loud == lines[:1]
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    print(
        f"outage {figures.down_seconds:.1f} s: broadcast {figures.sent_before}/{RECIPIENTS} "
        f"sent before, lost 0, doubled 0; {figures.busy_alerts} presses and "
        f"{figures.busy_replies} message told 系统忙; log lines {lines}"
    )


async def test_postgres_stopped_mid_broadcast_signups_and_greetings(
    server: EmulatorServer, own_postgres: pg_cluster.Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    await _migrate(own_postgres.url)
    clock = ManualClock(GREETING_TIME - timedelta(seconds=OUTAGE_SECONDS / 2 + 1))
    h = Harness(server, _config_for(server, own_postgres.url), clock)
    await _scenario(h, StoppedCluster(own_postgres), caplog)


async def test_sqlite_file_read_only_mid_broadcast_signups_and_greetings(
    server: EmulatorServer,
    sqlite_template: SqliteTemplate,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if not _can_make_read_only(tmp_path / "probe"):
        pytest.skip("needs root, chattr and a filesystem with the immutable flag (ext4, xfs)")
    url = sqlite_template.fresh_url(tmp_path)
    database = sqlite_file(url)
    assert database is not None
    clock = ManualClock(GREETING_TIME - timedelta(seconds=OUTAGE_SECONDS / 2 + 1))
    outage = ReadOnlyFile(database)
    h = Harness(server, _config_for(server, url), clock)
    try:
        await _scenario(h, outage, caplog)
    finally:
        await outage.end()
