"""Queries on cases and their entries. Functions take the session first and never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy import case as case_when
from sqlalchemy.orm import defer
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, CaseEntry, Member, SuggestionSupport
from storage.statuses import CaseActor, CaseEntryAction, CaseKind, CaseStatus

OPEN = (
    CaseStatus.SUBMITTED,
    CaseStatus.ACKNOWLEDGED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.ESCALATED,
    CaseStatus.UNDER_STUDY,
)
FINISHED = (
    CaseStatus.RESOLVED,
    CaseStatus.CLOSED,
    CaseStatus.REJECTED,
    CaseStatus.ADOPTED,
    CaseStatus.PUBLISHED,
    CaseStatus.DECLINED,
    CaseStatus.APPROVED,
)


async def add(session: AsyncSession, **fields: Any) -> Case:
    case = Case(**fields)
    session.add(case)
    await session.flush()
    return case


async def get(session: AsyncSession, case_id: int) -> Case | None:
    return await session.get(Case, case_id)


async def by_code(session: AsyncSession, code: str) -> Case | None:
    return (await session.exec(select(Case).where(Case.code == code.strip().upper()))).first()


async def code_taken(session: AsyncSession, code: str) -> bool:
    return await by_code(session, code) is not None


async def of_reporter(session: AsyncSession, member_id: int) -> list[Case]:
    result = await session.exec(
        select(Case).where(Case.reporter_member_id == member_id).order_by(col(Case.id).desc())
    )
    return list(result.all())


def past_a_deadline(now: datetime) -> ColumnElement[bool]:
    """Overdue: not accepted by its acceptance deadline, or not resolved by its resolution
    one — what escalates a case to the chair, so every list of overdue cases agrees with it."""
    return or_(
        and_(col(Case.acknowledged_at).is_(None), col(Case.ack_due) <= now),
        col(Case.resolve_due) <= now,
    )


async def inbox(
    session: AsyncSession,
    *,
    statuses: tuple[CaseStatus, ...],
    overdue_at: datetime | None = None,
    category: str | None = None,
    department: str | None = None,
    limit: int = 20,
) -> list[Case]:
    query = select(Case).where(col(Case.status).in_(statuses))
    if overdue_at is not None:
        query = query.where(past_a_deadline(overdue_at))
    if category is not None:
        query = query.where(Case.category == category)
    if department is not None:
        query = query.where(Case.department == department)
    result = await session.exec(query.order_by(col(Case.id).desc()).limit(limit))
    return list(result.all())


async def open_cases(session: AsyncSession) -> list[Case]:
    result = await session.exec(select(Case).where(col(Case.status).in_(OPEN)))
    return list(result.all())


async def closed_anonymous_since(session: AsyncSession, *, since: datetime) -> list[Case]:
    result = await session.exec(
        select(Case).where(col(Case.anonymous), col(Case.closed_at) >= since)
    )
    return list(result.all())


async def all_cases(session: AsyncSession) -> list[Case]:
    return list((await session.exec(select(Case).order_by(col(Case.id)))).all())


async def of_kind(session: AsyncSession, *, kind: CaseKind, status: CaseStatus) -> list[Case]:
    result = await session.exec(
        select(Case).where(Case.kind == kind, Case.status == status).order_by(col(Case.id))
    )
    return list(result.all())


async def save(session: AsyncSession, case: Case) -> None:
    session.add(case)
    await session.flush()


async def transition(session: AsyncSession, case: Case, *, to: CaseStatus, **changes: Any) -> bool:
    """Move the case from the status it was read in to `to` (with other column changes),
    only if nobody moved it meanwhile: of two presses in flight, one wins. The case object
    is refreshed either way."""
    result = await session.exec(
        update(Case)
        .where(col(Case.id) == case.id, col(Case.status) == case.status)
        .values(status=to, **changes)
    )
    await session.refresh(case)
    return bool(getattr(result, "rowcount", 0))


async def assign(session: AsyncSession, case: Case, *, assignee_id: int) -> bool:
    """Hand the case to a cadre, unless it is already theirs (so two taps assign once)."""
    result = await session.exec(
        update(Case)
        .where(
            col(Case.id) == case.id,
            col(Case.status) == case.status,
            or_(
                col(Case.assignee_member_id).is_(None),
                col(Case.assignee_member_id) != assignee_id,
            ),
        )
        .values(assignee_member_id=assignee_id)
    )
    await session.refresh(case)
    return bool(getattr(result, "rowcount", 0))


async def add_entry(
    session: AsyncSession,
    *,
    case_id: int,
    actor: CaseActor,
    action: CaseEntryAction,
    at: datetime,
    text: str | None = None,
    cadre_member_id: int | None = None,
) -> CaseEntry:
    entry = CaseEntry(
        case_id=case_id,
        actor=actor,
        action=action,
        at=at,
        text=text,
        cadre_member_id=cadre_member_id,
    )
    session.add(entry)
    await session.flush()
    return entry


async def entries(session: AsyncSession, case_id: int) -> list[CaseEntry]:
    result = await session.exec(
        select(CaseEntry).where(CaseEntry.case_id == case_id).order_by(col(CaseEntry.id))
    )
    return list(result.all())


async def department_size(session: AsyncSession, department: str) -> int:
    result = await session.exec(
        select(func.count())
        .select_from(Member)
        .where(Member.department == department, col(Member.registered_at).is_not(None))
    )
    return int(result.one())


async def support(session: AsyncSession, *, case_id: int, member_id: int) -> bool:
    """Co-sign a suggestion; False if this member already had."""
    if await session.get(SuggestionSupport, (case_id, member_id)) is not None:
        return False
    session.add(SuggestionSupport(case_id=case_id, member_id=member_id))
    await session.flush()
    return True


async def supporters(session: AsyncSession, case_id: int) -> int:
    result = await session.exec(
        select(func.count())
        .select_from(SuggestionSupport)
        .where(SuggestionSupport.case_id == case_id)
    )
    return int(result.one())


async def board(
    session: AsyncSession,
    *,
    statuses: tuple[CaseStatus, ...],
    finished_since: datetime,
    category: str | None = None,
    department: str | None = None,
    kind: CaseKind | None = None,
    limit: int = 500,
) -> list[Case]:
    """Cases for the console's board: those in `statuses`, and those finished since a moment
    (resolved, closed, …), optionally of one category, department or kind; oldest due first."""
    still_open = col(Case.status).in_(statuses)
    lately = col(Case.status).in_(FINISHED) & (
        func.coalesce(col(Case.closed_at), col(Case.resolved_at), col(Case.created_at))
        >= finished_since
    )
    # A board card shows neither the text nor the files: they are left unread.
    query = (
        select(Case)
        .options(defer(Case.text), defer(Case.attachments))  # type: ignore[arg-type]
        .where(still_open | lately)
    )
    if category is not None:
        query = query.where(Case.category == category)
    if department is not None:
        query = query.where(Case.department == department)
    if kind is not None:
        query = query.where(Case.kind == kind)
    result = await session.exec(query.order_by(col(Case.resolve_due), col(Case.id)).limit(limit))
    return list(result.all())


async def open_counts(session: AsyncSession, *, now: datetime) -> list[tuple[str, int, int]]:
    """Per category: (open cases, of which past their deadline)."""
    overdue = func.sum(case_when((past_a_deadline(now), 1), else_=0))
    result = await session.exec(
        select(Case.category, func.count(), overdue)
        .where(col(Case.status).in_(OPEN))
        .group_by(col(Case.category))
        .order_by(col(Case.category))
    )
    return [(category, int(count), int(late or 0)) for category, count, late in result.all()]
