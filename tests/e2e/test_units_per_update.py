"""One unit of work per update: the guard's look-up of the caller and the handler's reads share
a session (storage/update_reads.py), so a command that only reads takes one connection from
the pool, not one for the guard and one for the handler."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.e2e.catalogue import says
from tests.e2e.flows import register
from tests.e2e.harness import Harness, engine_events

pytestmark = pytest.mark.e2e
WANG = 30_101


@contextmanager
def checkouts_by_updates(h: Harness) -> Iterator[list[str]]:
    """The pool checkouts made while handling updates (not the outbox worker's, or the test's)."""
    taken: list[str] = []

    def on_checkout(*_: Any) -> None:
        task = asyncio.current_task()
        if task is not None and task.get_name().endswith(":process_concurrent_update"):
            taken.append(task.get_name())

    with engine_events(h, "checkout", on_checkout):
        yield taken


async def test_a_command_that_reads_takes_one_connection(harness: Harness) -> None:
    h = harness
    await register(h, WANG, "王小明")
    for command, key in (("/me", "profile_title"), ("/activities", None)):
        with checkouts_by_updates(h) as taken:
            [reply] = await h.send(WANG, command)
        assert key is None or says(reply, key)
        assert len(taken) == 1, command
