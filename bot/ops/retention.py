"""The nightly retention job: applies [retention] once a night across all instances (the
first to take the night's job lease runs it), purging in batches, each committed on its own,
so the outbox and the bot's other writers never wait long behind it."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.deps import Deps
from bot.ops.retention_settings import RetentionConfig
from storage import jobs, retention
from storage.db import Database

log = logging.getLogger(__name__)

JOB = "retention"
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class Retained:
    """What one night's run removed or anonymised."""

    outbox: int = 0
    questions: int = 0
    cases: int = 0


async def nightly(deps: Deps, *, instance: str) -> Retained | None:
    """Run tonight's retention unless it is off or another instance has taken tonight's run."""
    settings = deps.config.retention
    if not settings.enabled:
        return None
    now = deps.clock.now()
    night = now.astimezone(deps.config.union.zone).date().isoformat()
    async with deps.db.begin() as session:
        if not await jobs.claim_slot(session, job=JOB, slot=night, instance=instance, now=now):
            return None
    started = time.perf_counter()
    done = await apply(deps.db, settings, now=now)
    deps.metrics.job_runs.labels(JOB).inc()
    deps.metrics.job_seconds.labels(JOB).observe(time.perf_counter() - started)
    log.info(
        "retention: %d outbox rows and %d rights questions purged, %d cases anonymised",
        done.outbox,
        done.questions,
        done.cases,
    )
    return done


async def apply(db: Database, settings: RetentionConfig, *, now: datetime) -> Retained:
    """Every purge, batch after batch, each batch its own transaction."""
    outbox_before = now - timedelta(days=settings.delivered_outbox_days)
    questions_before = now - timedelta(days=settings.rights_question_days)
    cases_before = now - timedelta(days=DAYS_PER_YEAR * settings.closed_case_years)

    async def cases(session: AsyncSession) -> int:
        found = await retention.finished_cases(session, before=cases_before)
        return await retention.anonymise_cases(session, found)

    async with db.begin() as session:
        await jobs.forget_slots(session, before=now - timedelta(days=settings.job_lease_days))
    return Retained(
        outbox=await _batches(
            db, lambda session: retention.purge_outbox(session, before=outbox_before)
        ),
        questions=await _batches(
            db, lambda session: retention.purge_questions(session, before=questions_before)
        ),
        cases=await _batches(db, cases),
    )


async def _batches(db: Database, step: Callable[[AsyncSession], Awaitable[int]]) -> int:
    total = 0
    while True:
        async with db.begin() as session:
            done = await step(session)
        total += done
        if done < retention.BATCH:
            return total
