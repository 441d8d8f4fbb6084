"""The short soak: the bench/soak.py driver with a few thousand updates on each database —
the bot as a process, the emulator injecting 429s, 5xx, timeouts and slow answers. It asserts
behaviour only (nothing lost or doubled, no task or connection left behind, the outbox
drained); the timing figures are the long soak's (`make soak`)."""

from __future__ import annotations

import os

import pytest

from bench.soak import SoakOptions, run
from tests.databases import POSTGRES_ENV, backends

UPDATES = 2_000
MEMBERS = 300


@pytest.mark.timeout(300)
@pytest.mark.parametrize("backend", backends())
async def test_a_short_day_under_faults_loses_and_doubles_nothing(backend: str) -> None:
    url = os.environ[POSTGRES_ENV] if backend == "postgresql" else ""
    figures = await run(
        SoakOptions(updates=UPDATES, members=MEMBERS, db_url=url, in_flight=60, reading=(0.3, 0.8))
    )
    updates = figures["updates"]
    assert isinstance(updates, int) and updates >= UPDATES
    faults = figures["faults"]
    assert isinstance(faults, dict) and sum(faults.values()) > 0, "the emulator injected nothing"
    assert figures["lost"] == 0, figures["lost_steps"]
    assert figures["duplicated"] == 0
    assert figures["leaked_tasks"] == 0
    assert figures["db_checked_out"] == 0
    assert figures["outbox_drained"] is True
    assert figures["notices"] and figures["cases_answered"], figures
