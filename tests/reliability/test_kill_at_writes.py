"""Kill at every write: the bot, run as a process, is SIGKILLed at random moments of a
scripted day (registrations, a notice with 收到, a case with a reply, a race for an
activity's places, a secret ballot, the greeting run) and started again each time. Compared
with the same day run without kills: no member, case, reply, sign-up, confirmation or vote
lost; at most one duplicate message per kill (the one in flight), none for the greetings (an
idempotent job).

The kill points are seeded (UNIONBRIDGE_KILL_SEED); there are 10 of them, or 20 under
`make soak` (UNIONBRIDGE_SOAK=1, or UNIONBRIDGE_KILLS=N).
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.emulator import EmulatorServer
from storage.db import Database
from tests.databases import PostgresTemplate, SqliteTemplate, backends
from tests.reliability import day_script
from tests.reliability.bot_process import BotProcess, Members, RecordingEmulator, config_text

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

KILLS = int(
    os.environ.get("UNIONBRIDGE_KILLS", "20" if os.environ.get("UNIONBRIDGE_SOAK") else "10")
)
SEED = int(os.environ.get("UNIONBRIDGE_KILL_SEED", "17"))
KILL_DELAY = 0.3  # seconds after an action: before, during or after the writes it causes


@pytest.fixture(params=backends())
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], Awaitable[str]]:
    """A migrated, empty database for each run of the day, on each backend."""

    async def make(run: str) -> str:
        if request.param == "sqlite":
            template: SqliteTemplate = request.getfixturevalue("sqlite_template")
            directory = tmp_path / f"db-{run}"
            directory.mkdir()
            return template.fresh_url(directory)
        postgres: PostgresTemplate = request.getfixturevalue("postgres_template")
        await postgres.reset()
        return postgres.url

    return make


async def _day(
    url: str, workdir: Path, plan: dict[int, float]
) -> tuple[day_script.Outcome, Members]:
    server = EmulatorServer(RecordingEmulator())
    await server.start()
    db = Database(url)
    try:
        activity_id = await day_script.seed(db, server.emulator)
        config = workdir / "config.toml"
        config.write_text(config_text(server, url, admins=[day_script.CADRE]), encoding="utf-8")
        bot = BotProcess(server, config, workdir / "bot.log")
        server.emulator.user(day_script.CADRE, "陈干事", language_code="zh-hans")
        server.emulator.open_private(day_script.CADRE)
        members = Members(bot, plan)
        await bot.start()
        try:
            await day_script.play(members, db, activity_id)
            await day_script.drain(db, members)
        finally:
            await bot.stop()
        return await day_script.outcome(db, members), members
    finally:
        await db.dispose()
        await server.stop()


async def test_killed_at_random_points_the_day_loses_nothing(
    fresh_url: Callable[[str], Awaitable[str]], tmp_path: Path
) -> None:
    calm_dir, killed_dir = tmp_path / "calm", tmp_path / "killed"
    calm_dir.mkdir()
    killed_dir.mkdir()
    calm, calm_day = await _day(await fresh_url("calm"), calm_dir, {})
    chooser = random.Random(SEED)
    points = sorted(chooser.sample(range(calm_day.actions), min(KILLS, calm_day.actions)))
    plan = {point: chooser.uniform(0.0, KILL_DELAY) for point in points}
    killed, killed_day = await _day(await fresh_url("killed"), killed_dir, plan)

    assert calm.duplicates == 0 and calm.greetings == Counter(
        {user: 1 for user in day_script.BORN_TODAY}
    )
    assert killed_day.kills == len(plan)
    assert killed.registered == calm.registered  # no member lost
    assert set(killed.reports) == set(calm.reports)  # no case lost (a retried form may add one)
    assert sum(killed.reports.values()) <= sum(calm.reports.values()) + killed_day.kills
    assert set(killed.replies) == set(calm.replies) and killed.told_reply == calm.told_reply
    assert killed.signed_up == calm.signed_up == frozenset(day_script.PEOPLE)
    assert killed.confirmed_places == calm.confirmed_places == day_script.PLACES
    assert killed.confirmations == calm.confirmations  # no 收到 lost
    assert killed.voted == calm.voted == len(day_script.PEOPLE)  # no vote lost, none twice
    assert killed.tallies == calm.tallies
    assert killed.greetings == calm.greetings and killed.duplicated_greetings == 0
    assert calm.missing == killed.missing == 0  # every row marked sent reached its chat
    assert killed.duplicates <= killed_day.kills, killed.duplicates
    print(
        f"{killed_day.kills} kills over {killed_day.actions} actions ({calm_day.actions} "
        f"without kills), {killed_day.bot.starts} starts: {killed.delivered} outbox messages "
        f"({calm.delivered} without kills), duplicates {killed.duplicates}, "
        f"greetings doubled {killed.duplicated_greetings}, lost 0"
    )
