"""Purges of what has been kept long enough, one batch at a time (the nightly retention job
calls each until it returns less than a batch, committing between batches so a long purge
never holds the outbox). Never commits.

What goes and what stays:
- outbox rows that are settled (sent, failed, inactive, cancelled) and old go;
- rights questions the union was not asked to take up go; those handed to it stay with
  their case but lose their asker;
- finished cases are anonymised, not deleted: their kind, category, department, status,
  dates and rating stay for the statistics; their words, attachments and the people in them
  go (cadres' names are in the audit trail of who did what, which is kept);
- audit trails (role changes, activity logs, case entries' actions and times) are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.cases import OPEN
from storage.models import Case, CaseEntry, KbQuestion, Outbox, Visit
from storage.statuses import OutboxStatus

BATCH = 500
SETTLED = (
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.INACTIVE,
    OutboxStatus.CANCELLED,
)
# What an anonymised case's words become (the case's facts stay; its text is empty).
ERASED_TEXT = ""


async def purge_outbox(session: AsyncSession, *, before: datetime, batch: int = BATCH) -> int:
    """Delete up to `batch` settled rows created before `before`; how many went."""
    ids = await session.exec(
        select(Outbox.id)
        .where(col(Outbox.status).in_(SETTLED), col(Outbox.created_at) < before)
        .order_by(col(Outbox.id))
        .limit(batch)
    )
    return await _delete_ids(session, Outbox, list(ids.all()))


async def purge_questions(session: AsyncSession, *, before: datetime, batch: int = BATCH) -> int:
    """Delete up to `batch` rights questions asked before `before` that no case took up, and
    untie those that one did from their askers; how many rows changed."""
    ids = list(
        (
            await session.exec(
                select(KbQuestion.id)
                .where(col(KbQuestion.at) < before, col(KbQuestion.case_id).is_(None))
                .order_by(col(KbQuestion.id))
                .limit(batch)
            )
        ).all()
    )
    gone = await _delete_ids(session, KbQuestion, ids)
    untied = await session.exec(
        update(KbQuestion)
        .where(
            col(KbQuestion.at) < before,
            col(KbQuestion.case_id).is_not(None),
            col(KbQuestion.member_id).is_not(None),
        )
        .values(member_id=None)
    )
    return gone + int(untied.rowcount)


async def finished_cases(
    session: AsyncSession, *, before: datetime, batch: int = BATCH
) -> list[int]:
    """Up to `batch` cases finished before `before` whose words are still kept."""
    finished = func.coalesce(col(Case.closed_at), col(Case.resolved_at))
    result = await session.exec(
        select(Case.id)
        .where(
            col(Case.status).not_in(OPEN),
            finished < before,
            or_(col(Case.text) != ERASED_TEXT, col(Case.reporter_member_id).is_not(None)),
        )
        .order_by(col(Case.id))
        .limit(batch)
    )
    return [case_id for case_id in result.all() if case_id is not None]


async def anonymise_cases(session: AsyncSession, case_ids: Sequence[int]) -> int:
    """Erase the words and the reporter of these cases, keeping the facts statistics count:
    kind, category, department, status, dates, rating, and who did what when (the audit)."""
    if not case_ids:
        return 0
    await session.exec(
        update(Case)
        .where(col(Case.id).in_(case_ids))
        .values(text=ERASED_TEXT, attachments=[], reporter_member_id=None)
    )
    await session.exec(
        update(CaseEntry).where(col(CaseEntry.case_id).in_(case_ids)).values(text=None)
    )
    await session.exec(update(Visit).where(col(Visit.case_id).in_(case_ids)).values(note=""))
    await session.exec(
        update(KbQuestion)
        .where(col(KbQuestion.case_id).in_(case_ids))
        .values(member_id=None, text=ERASED_TEXT, details=ERASED_TEXT)
    )
    return len(case_ids)


async def _delete_ids(
    session: AsyncSession, table: type[Outbox] | type[KbQuestion], ids: list[int | None]
) -> int:
    wanted = [row_id for row_id in ids if row_id is not None]
    if wanted:
        await session.exec(delete(table).where(col(table.id).in_(wanted)))
    return len(wanted)
