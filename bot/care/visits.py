"""Care visits: recorded on a life event or hardship case within the kind's spending cap, or
waiting for the chair's approval (with a reason) over it; and the year's figures.

Recording is checked against the case's table; approving against the visit's, once (a
compare-and-set: two approvals in flight approve once and tell the cadre once)."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.care.callbacks import VisitPress, VisitVerb
from bot.care.events import event_of
from bot.care.kinds import CareEvent
from bot.care.states import VISIT_STATES, VisitAction
from bot.cases.moves import allowed, record
from bot.cases.notify import member_lang, tell_chairs, to_member
from bot.cases.states import CaseAction
from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.core.states import Refused
from bot.delivery import keys
from bot.delivery.outgoing import enqueue
from bot.roles import Role
from bot.strings import Lang, t
from storage import members, visits
from storage.models import Member, Visit
from storage.statuses import VisitStatus


def approve_keyboard(visit_id: int, lang: Lang) -> Keyboard:
    press = VisitPress(verb=VisitVerb.APPROVE, visit_id=visit_id)
    return Keyboard.column([Button(t(lang, "btn_visit_approve"), press)])


async def check_visit(session: AsyncSession, case_id: int, *, role: Role) -> None:
    """Refused unless a visit may be recorded on the case now."""
    await allowed(session, case_id, CaseAction.VISIT, role)


async def record_visit(
    session: AsyncSession,
    *,
    case_id: int,
    cadre: Member | None,
    role: Role,
    amount: int,
    note: str,
    now: datetime,
    config: Config,
) -> Visit:
    """Record a visit; over the kind's cap it waits for the chair's approval."""
    case = await allowed(session, case_id, CaseAction.VISIT, role)
    cap = config.care.caps.get(event_of(case), 0)
    visit = await visits.add(
        session,
        case_id=case_id,
        cadre_member_id=cadre.id if cadre is not None else None,
        amount=amount,
        note=note,
        at=now,
        status=VisitStatus.PENDING if amount > cap else VisitStatus.RECORDED,
    )
    step = html.escape(f"{amount} {note}".strip())  # a step's text is HTML
    await record(session, case, CaseAction.VISIT, actor=cadre, now=now, text=step)
    if visit.status == VisitStatus.PENDING:
        visit_id = visit.id or 0
        asks = await tell_chairs(
            session,
            case,
            "care_over_cap",
            key=lambda admin: keys.visit_approval(visit_id, admin),
            note=f"{amount} / {cap}",
            config=config,
            keyboard=lambda lang: approve_keyboard(visit_id, lang),
        )
        await enqueue(session, asks, now=now)
    return visit


async def pending_visit(session: AsyncSession, visit_id: int, *, role: Role) -> Visit:
    """A visit the chair may approve now (Refused otherwise)."""
    visit = await visits.get(session, visit_id)
    if visit is None:
        raise Refused("button_expired")
    VISIT_STATES.check(visit.status, VisitAction.APPROVE, role)
    return visit


async def approve_visit(
    session: AsyncSession, visit_id: int, *, chair: int, role: Role, reason: str, now: datetime
) -> Visit:
    """Approve a visit over the cap, once, keeping the reason; the cadre who recorded it is
    told (once: the message's key is the visit's)."""
    visit = await pending_visit(session, visit_id, role=role)
    if not await visits.approve(session, visit, chair=chair, reason=reason):
        raise Refused("action_not_allowed")
    recorder = await members.get(session, visit.cadre_member_id) if visit.cadre_member_id else None
    if recorder is not None and recorder.telegram_id is not None:
        lang = member_lang(recorder)
        text = t(lang, "visit_told_approved", id=visit.case_id, amount=visit.amount, reason=reason)
        await enqueue(session, [to_member(keys.visit_decision(visit_id), recorder, text)], now=now)
    return visit


@dataclass
class CareStats:
    visits: Counter[CareEvent] = field(default_factory=Counter)
    by_department: Counter[str] = field(default_factory=Counter)
    spent: Counter[CareEvent] = field(default_factory=Counter)
    pending: int = 0
    over_cap: Counter[CareEvent] = field(default_factory=Counter)  # approved by the chair


async def care_stats(session: AsyncSession, *, since: datetime) -> CareStats:
    """Visits by kind and department since a date; money spent by kind (within caps or approved)."""
    stats = CareStats()
    for visit, case in await visits.since(session, since):
        kind = event_of(case)
        stats.visits[kind] += 1
        stats.by_department[case.department] += 1
        if visit.status == VisitStatus.PENDING:
            stats.pending += 1
        else:
            stats.spent[kind] += visit.amount
        if visit.status == VisitStatus.APPROVED:
            stats.over_cap[kind] += 1
    return stats


@dataclass(frozen=True)
class WaitingVisit:
    """A visit over its cap waiting for the chair: what, on which case, by whom."""

    visit: Visit
    event: CareEvent
    department: str
    cap: int
    recorder: str


async def waiting_for_chair(session: AsyncSession, *, config: Config) -> list[WaitingVisit]:
    found = await visits.pending(session)
    names = await members.names(
        session, [v.cadre_member_id for v, _ in found if v.cadre_member_id is not None]
    )
    return [
        WaitingVisit(
            visit,
            event_of(case),
            case.department,
            config.care.caps.get(event_of(case), 0),
            names.get(visit.cadre_member_id or 0, ""),
        )
        for visit, case in found
    ]
