"""关怀与投票: this year's care visits against the caps, the visits over a cap waiting for the
chair (who approves them here, with a reason on record), and votes with their turnout —
their results only once closed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.care.forms import give_reason
from bot.care.kinds import KINDS, CareEvent
from bot.care.visits import approve_visit, care_stats, waiting_for_chair
from bot.console.http import Call, FieldErrors, answer
from bot.core.flow import Rejected
from bot.core.labels import label
from bot.core.telegram_html import plain
from bot.roles import Role
from bot.strings import t
from bot.votes.results import overview

VOTES_SHOWN_AFTER_CLOSE = timedelta(days=30)


def _year_start(call: Call) -> datetime:
    zone = call.deps.config.union.zone
    return datetime(call.now.astimezone(zone).year, 1, 1, tzinfo=zone)


async def care_page(call: Call) -> web.Response:
    """Visits and spending by kind against the caps, approvals waiting, and votes."""
    deps, lang, role = call.deps, call.lang, call.caller.role
    caps = deps.config.care.caps
    zone = deps.config.union.zone
    async with deps.db.read() as session:
        stats = await care_stats(session, since=_year_start(call))
        waiting = await waiting_for_chair(session, config=deps.config)
        votes = await overview(
            session, now=call.now, role=role, closed_since=call.now - VOTES_SHOWN_AFTER_CLOSE
        )
    kinds = [
        {"kind": plain(t(lang, KINDS[kind])), "visits": stats.visits[kind],
         "spent": stats.spent[kind], "cap": caps.get(kind, 0)}
        for kind in CareEvent
    ]  # fmt: skip
    approvals = [
        {
            "id": item.visit.id,
            "case": item.visit.case_id,
            "kind": plain(t(lang, KINDS[item.event])),
            "department": item.department,
            "amount": item.visit.amount,
            "cap": item.cap,
            "note": item.visit.note,
            "recorder": item.recorder,
            "at": item.visit.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        }
        for item in waiting
    ]
    return answer(
        {
            "kinds": kinds,
            "pending": stats.pending,
            "approvals": approvals,
            "can_approve": role >= Role.ADMIN,
            "votes": [_vote(standing, call) for standing in votes],
        }
    )


def _vote(standing: Any, call: Call) -> dict[str, Any]:
    vote = standing.vote
    zone = call.deps.config.union.zone
    results = (
        [
            {"option": option, "count": count}
            for option, count in zip(vote.options, standing.counts, strict=False)
        ]
        if standing.counts is not None
        else None
    )
    return {
        "id": vote.id,
        "question": vote.question,
        "status": plain(t(call.lang, label(vote.status))),
        "closes": vote.closes_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "turnout": standing.turnout,
        "electorate": standing.electorate,
        "results": results,
    }


async def visit_approve(call: Call) -> web.Response:
    """The chair approves a visit over its cap, once, with the reason kept on record."""
    reason = give_reason(str((await call.body()).get("reason") or ""))
    if isinstance(reason, Rejected):
        raise FieldErrors({"reason": plain(t(call.lang, "console_reason_needed"))})
    caller = call.caller
    async with call.deps.db.begin() as session:
        visit = await approve_visit(
            session,
            call.id(),
            chair=caller.telegram_id,
            role=caller.role,
            reason=reason[:500],
            now=call.now,
        )
    call.deps.delivery.wake()
    return answer({"approved": visit.id, "message": plain(t(call.lang, "visit_approved"))})
