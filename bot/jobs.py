"""The recurring jobs: a minute tick (scheduled notices, reminders, the monthly open-board
post, and the safety net for the daily greeting run) and the daily greeting run at the
configured time.

PTB's JobQueue calls these; a cadre's "send now" calls the tick at once; tests call them
directly with an injected clock. Each is safe to run twice or on several instances, and a
scheduled run takes a lease for its due time first, so with several workers each minute's
tick and each day's greetings run once, whichever worker wins.
"""

from __future__ import annotations

import logging
import time

from bot.activities.schedule import tick as activities_tick
from bot.care.service import recheck_reminders
from bot.cases.deadlines import sla_tick
from bot.deps import Deps
from bot.greetings.daily_run import daily_run
from bot.greetings.manual_run import greeting_day
from bot.notices.schedule import tick as notices_tick
from bot.openboard.monthly import due_month, monthly_post
from bot.votes.results import close_due as close_votes
from storage import jobs

log = logging.getLogger(__name__)


async def daily_greetings(deps: Deps) -> int:
    """Queue today's greetings and digests if the greeting time has come and they are not
    queued yet (a bot that was down at 08:00 catches up the same day, not for past days)."""
    now = deps.clock.now()
    day = greeting_day(now, deps.config)
    if day is None:
        return 0
    started = time.perf_counter()
    async with deps.db.begin() as session:
        queued = await daily_run(session, now=now, config=deps.config, day=day)
    if queued:
        log.info("greeting run for %s queued %d messages", day, queued)
        deps.metrics.greeting_run_size.set(queued)
        _count(deps, "greetings", started)
        deps.delivery.wake()
    return queued


def _count(deps: Deps, job: str, started: float) -> None:
    deps.metrics.job_runs.labels(job).inc()
    deps.metrics.job_seconds.labels(job).observe(time.perf_counter() - started)


async def scheduled_tick(deps: Deps, *, instance: str) -> int:
    """The JobQueue's minute tick: run only if no instance has taken this minute yet."""
    now = deps.clock.now()
    slot = now.strftime("%Y-%m-%dT%H:%M")
    async with deps.db.begin() as session:
        if not await jobs.claim_slot(session, job="tick", slot=slot, instance=instance, now=now):
            return 0
    return await minute_tick(deps)


async def minute_tick(deps: Deps) -> int:
    """Run every due job once, now; returns how many messages were queued."""
    union = deps.config.union
    started = time.perf_counter()
    async with deps.db.begin() as session:
        queued = await notices_tick(
            session,
            now=deps.clock.now(),
            zone=union.zone,
            union=union.name,
            group_lang=union.default_language,
            policy=deps.notice_policy,
        )
        queued += await sla_tick(session, now=deps.clock.now(), config=deps.config)
        queued += await activities_tick(session, now=deps.clock.now(), config=deps.config)
        queued += await close_votes(session, now=deps.clock.now(), config=deps.config)
        queued += await recheck_reminders(session, now=deps.clock.now(), config=deps.config)
    _count(deps, "tick", started)
    if queued:
        log.info("minute tick queued %d messages", queued)
        deps.delivery.wake()
    return queued + await daily_greetings(deps) + await monthly_board(deps)


async def monthly_board(deps: Deps) -> int:
    """The month's open-board post, once it is due (in a transaction of its own, so the
    board's figures never hold up the tick's notices and reminders)."""
    now = deps.clock.now()
    if due_month(now, deps.config) is None:
        return 0  # off, or not yet this month: no write transaction every minute
    async with deps.db.begin() as session:
        queued = await monthly_post(session, now=now, config=deps.config)
    if queued:
        log.info("open board: the month's post queued to %d groups", queued)
        deps.delivery.wake()
    return queued
