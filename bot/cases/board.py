"""The console's case board: open cases (and those finished lately) by status, each with its
next deadline coloured — due soon, overdue — and filters by category, department and kind.
Never names a reporter: a board card carries no reporter at all. Telegram-free; reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from storage import cases, members
from storage.cases import FINISHED, OPEN
from storage.models import Case
from storage.statuses import CaseKind

FINISHED_SHOWN = timedelta(days=30)
COLUMNS = (*OPEN, *FINISHED)  # the board's columns, in the order a case moves


class Due(StrEnum):
    OK = "ok"
    SOON = "soon"  # within [cases] remind_hours_before
    OVERDUE = "overdue"
    DONE = "done"  # finished: no deadline runs


@dataclass(frozen=True)
class BoardCard:
    case: Case
    due: datetime
    state: Due
    assignee: str


def next_deadline(case: Case) -> datetime:
    """Accepting it until it is accepted, then resolving it."""
    return case.ack_due if case.acknowledged_at is None else case.resolve_due


def due_state(case: Case, *, now: datetime, warn: timedelta) -> Due:
    if case.status not in OPEN:
        return Due.DONE
    due = next_deadline(case)
    if due <= now:
        return Due.OVERDUE
    return Due.SOON if due - now <= warn else Due.OK


async def board(
    session: AsyncSession,
    *,
    now: datetime,
    config: Config,
    category: str | None = None,
    department: str | None = None,
    kind: CaseKind | None = None,
) -> list[BoardCard]:
    """The board's cards, soonest deadline first."""
    found = await cases.board(
        session,
        statuses=OPEN,
        finished_since=now - FINISHED_SHOWN,
        category=category,
        department=department,
        kind=kind,
    )
    assignees = await members.names(
        session, [c.assignee_member_id for c in found if c.assignee_member_id is not None]
    )
    warn = timedelta(hours=config.cases.remind_hours_before)
    return [
        BoardCard(
            case,
            next_deadline(case),
            due_state(case, now=now, warn=warn),
            assignees.get(case.assignee_member_id or 0, ""),
        )
        for case in found
    ]


async def open_by_category(session: AsyncSession, *, now: datetime) -> list[tuple[str, int, int]]:
    """Per category: open cases and how many of them are overdue (the dashboard's)."""
    return await cases.open_counts(session, now=now)
