"""Care (关怀): life events, visits within spending caps, hardship aid and its yearly re-check.

Telegram-free. Life events and hardship applications are cases of their own kinds; only a
wedding or a birth is ever announced in a group, and only with the member's consent.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.service import active_cadres, member_lang, member_message, open_button, tell_chairs
from bot.config import Config
from bot.strings import t
from storage import cases, groups, outbox
from storage.models import Case, Member, Visit
from storage.statuses import CaseActor, CaseKind, CaseStatus, VisitStatus

EVENT_KINDS = ("illness", "wedding", "birth", "bereavement", "hardship")
ANNOUNCEABLE = frozenset({"wedding", "birth"})
_AMOUNT = re.compile(r"^\s*(\d{1,7})\s*(?:元)?\s*(.*)$", re.S)


def parse_visit(text: str) -> tuple[int, str] | None:
    """'500 水果和慰问金' -> (500, '水果和慰问金')."""
    match = _AMOUNT.match(text)
    return None if match is None else (int(match.group(1)), match.group(2).strip())


async def announce(
    session: AsyncSession, *, case: Case, subject: str, event: str, now: datetime, config: Config
) -> int:
    """A wedding or a birth, told to the member's workshop groups (the caller checked consent)."""
    if event not in ANNOUNCEABLE:
        return 0
    lang = config.union.default_language
    text = t(lang, f"care_announce_{event}", name=subject, union=config.union.name)
    rows = [
        {
            "key": f"lifeevent:{case.id}:chat:{g.chat_id}",
            "kind": "care",
            "chat_id": g.chat_id,
            "payload": {"parts": [{"text": text}]},
        }
        for g in await groups.bound(session, departments=[case.department])
    ]
    return await outbox.enqueue(session, rows, now=now)


def event_of(case: Case) -> str:
    return case.category if case.category in EVENT_KINDS else "hardship"


async def record_visit(
    session: AsyncSession,
    *,
    case: Case,
    cadre: Member,
    amount: int,
    note: str,
    now: datetime,
    config: Config,
) -> Visit:
    """Record a visit; over the kind's cap it waits for the chair's approval."""
    assert case.id is not None
    cap = config.care.caps.get(event_of(case), 0)
    visit = Visit(
        case_id=case.id,
        cadre_member_id=cadre.id,
        amount=amount,
        note=note,
        at=now,
        status=VisitStatus.PENDING if amount > cap else VisitStatus.RECORDED,
    )
    session.add(visit)
    await session.flush()
    await cases.add_entry(
        session,
        case_id=case.id,
        actor=CaseActor.CADRE,
        action="visit",
        at=now,
        text=f"{amount} {note}".strip(),
        cadre_member_id=cadre.id,
    )
    if visit.status == VisitStatus.PENDING:
        rows = await tell_chairs(
            session,
            case,
            f"visit:{visit.id}:approval",
            "care_over_cap",
            note=f"{amount} / {cap}",
            config=config,
        )
        for row in rows:
            row["payload"]["markup"] = {
                "inline_keyboard": [
                    [
                        {
                            "text": t(config.union.default_language, "btn_visit_approve"),
                            "callback_data": f"cv:ok:{visit.id}",
                        }
                    ]
                ]
            }
        await outbox.enqueue(session, rows, now=now)
    return visit


async def approve_visit(
    session: AsyncSession, *, visit_id: int, chair: int, reason: str
) -> Visit | None:
    visit = await session.get(Visit, visit_id)
    if visit is None or visit.status != VisitStatus.PENDING:
        return None
    visit.status, visit.approved_by, visit.approval_reason = VisitStatus.APPROVED, chair, reason
    session.add(visit)
    await session.flush()
    return visit


@dataclass
class CareStats:
    visits: Counter[str] = field(default_factory=Counter)
    by_department: Counter[str] = field(default_factory=Counter)
    spent: Counter[str] = field(default_factory=Counter)
    pending: int = 0


async def care_stats(session: AsyncSession, *, since: datetime) -> CareStats:
    """Visits by kind and department since a date; money spent by kind (within caps or approved)."""
    stats = CareStats()
    result = await session.exec(
        select(Visit, Case)
        .join(Case, col(Case.id) == col(Visit.case_id))
        .where(col(Visit.at) >= since)
    )
    for visit, case in result.all():
        kind = event_of(case)
        stats.visits[kind] += 1
        stats.by_department[case.department] += 1
        if visit.status == VisitStatus.PENDING:
            stats.pending += 1
        else:
            stats.spent[kind] += visit.amount
    return stats


async def recheck_reminders(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """A yearly reminder to re-check each approved hardship aid."""
    period = timedelta(days=config.care.recheck_days)
    rows: list[dict[str, Any]] = []
    result = await session.exec(
        select(Case).where(Case.kind == CaseKind.HARDSHIP, Case.status == CaseStatus.APPROVED)
    )
    for case in result.all():
        if case.resolved_at is None or now < case.resolved_at + period:
            continue
        round_number = int((now - case.resolved_at) / period)
        for cadre in await active_cadres(session, config):
            text = t(
                member_lang(cadre),
                "care_recheck",
                id=case.id or 0,
            )
            rows.append(
                member_message(
                    f"hardship:{case.id}:recheck:{round_number}:{cadre.id}",
                    cadre,
                    text,
                    open_button(case),
                )
            )
    return await outbox.enqueue(session, rows, now=now)
