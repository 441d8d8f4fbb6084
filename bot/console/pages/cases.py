"""案件: the board by status with each deadline coloured and filters; one case's thread and
the actions its kind's table allows this cadre — the same services as the chat desk, so an
action here reaches the reporter through the bot and shows in the chat desk at once.

An anonymous case's reporter appears nowhere: not on a card, not in the thread, not in any
answer (the card carries a reporter's name only for a named case)."""

from __future__ import annotations

import html
from typing import Any

from aiohttp import web

from bot.care.visits import record_visit
from bot.cases.board import board
from bot.cases.desk import load_card
from bot.cases.labels import BUTTONS, RATINGS, STEPS
from bot.cases.moves import act, assign, cadres_to_pick
from bot.cases.states import WRITTEN, CaseAction, desk_rows
from bot.console.http import BadInput, Call, FieldErrors, answer
from bot.core.labels import label
from bot.core.states import Refused
from bot.core.telegram_html import plain, safe_html
from bot.strings import t
from bot.suggestions.service import publish
from storage.models import CaseEntry
from storage.statuses import CaseActor, CaseEntryAction, CaseKind

WHEN = "%m-%d %H:%M"
CHAT_ONLY = frozenset({CaseAction.KBSAVE})  # the knowledge-base form lives in the chat
MAX_WORDS = 4000


def _filters(call: Call) -> dict[str, Any]:
    config = call.deps.config
    category = call.query("category")[:32] or None  # any category: care ones are their own
    department = call.query("department") or None
    kind_name = call.query("kind") or None
    if department is not None and department not in config.union.departments:
        raise BadInput("console_bad_department", field="department")
    try:
        kind = CaseKind(kind_name) if kind_name else None
    except ValueError:
        raise BadInput("console_bad_request", field="kind") from None
    return {"category": category, "department": department, "kind": kind}


async def case_board(call: Call) -> web.Response:
    """Open cases (and those finished in the last 30 days), soonest deadline first."""
    deps, lang = call.deps, call.lang
    zone = deps.config.union.zone
    async with deps.db.read() as session:
        cards = await board(session, now=call.now, config=deps.config, **_filters(call))
    return answer(
        {
            "cases": [
                {
                    "id": card.case.id,
                    "kind": plain(t(lang, label(card.case.kind))),
                    "category": plain(deps.config.cases.category_name(card.case.category, lang)),
                    "department": card.case.department,
                    "status": card.case.status.value,
                    "status_label": plain(t(lang, label(card.case.status))),
                    "anonymous": card.case.anonymous,
                    "due": card.due.astimezone(zone).strftime(WHEN),
                    "due_state": card.state.value,
                    "assignee": card.assignee,
                }
                for card in cards
            ]
        }
    )


def _step(entry: CaseEntry, names: dict[int, str], call: Call) -> dict[str, Any]:
    """One step of the thread: when, who (a cadre by name; the reporter is 反映人), what."""
    lang = call.lang
    if entry.actor == CaseActor.CADRE:
        who = names.get(entry.cadre_member_id or 0) or plain(t(lang, "desk_someone"))
    elif entry.actor == CaseActor.REPORTER:
        who = plain(t(lang, "console_reporter"))
    else:
        who = ""
    text = entry.text or ""
    if entry.action == CaseEntryAction.RATED and text in RATINGS:
        text = t(lang, RATINGS[text])
    return {
        "at": entry.at.astimezone(call.deps.config.union.zone).strftime(WHEN),
        "actor": entry.actor.value,
        "who": who,
        "action": plain(t(lang, STEPS[entry.action])),
        "text": plain(text),
    }


async def _card(call: Call, case_id: int) -> dict[str, Any]:
    deps, lang, role = call.deps, call.lang, call.caller.role
    async with deps.db.read() as session:
        card = await load_card(session, case_id, role=role)
        actions = [a for row in desk_rows(card.case.kind, card.case.status, role) for a in row]
        cadres = (
            await cadres_to_pick(session, case_id, role=role)
            if CaseAction.ASSIGN in actions
            else []
        )
    case = card.case
    reporter = None if case.anonymous else card.names.get(case.reporter_member_id or 0)
    zone = deps.config.union.zone
    return {
        "id": case.id,
        "kind": plain(t(lang, label(case.kind))),
        "category": plain(deps.config.cases.category_name(case.category, lang)),
        "department": case.department,
        "status": case.status.value,
        "status_label": plain(t(lang, label(case.status))),
        "anonymous": case.anonymous,
        "reporter": reporter or plain(t(lang, "case_anonymous")),
        "assignee": card.names.get(case.assignee_member_id or 0, ""),
        "due": case.resolve_due.astimezone(zone).strftime(WHEN),
        "text": safe_html(case.text),
        "files": len(case.attachments),
        "thread": [_step(entry, card.names, call) for entry in card.thread],
        "actions": [
            {"action": a.value, "label": plain(t(lang, BUTTONS[a])), "words": a in WRITTEN}
            for a in actions
            if a not in CHAT_ONLY
        ],
        "cadres": [{"id": c.id, "name": c.name} for c in cadres],
    }


async def case_detail(call: Call) -> web.Response:
    return answer(await _card(call, call.id()))


def _amount(body: dict[str, Any], call: Call) -> int:
    raw = str(body.get("amount", "")).strip()
    if not raw.isdigit() or len(raw) > 7:
        raise FieldErrors({"amount": plain(t(call.lang, "console_amount_bad"))})
    return int(raw)


async def _take(call: Call, case_id: int, action: CaseAction, body: dict[str, Any]) -> None:
    """The action, through the chat desk's services, in one transaction."""
    deps, caller = call.deps, call.caller
    role, now, actor, config = caller.role, call.now, caller.member, deps.config
    words = str(body.get("text") or "").strip()[:MAX_WORDS]
    if action in WRITTEN and not words:
        raise FieldErrors({"text": plain(t(call.lang, "case_text_needed"))})
    assignee = body.get("assignee")
    if action == CaseAction.ASSIGN and not isinstance(assignee, int):
        raise FieldErrors({"assignee": plain(t(call.lang, "case_pick_cadre"))})
    amount = _amount(body, call) if action == CaseAction.VISIT else 0
    async with deps.db.begin() as session:
        if action == CaseAction.ASSIGN and isinstance(assignee, int):
            await assign(session, case_id, assignee_id=assignee, actor=actor, role=role, now=now)
        elif action == CaseAction.VISIT:
            note = str(body.get("note") or "").strip()[:200]
            await record_visit(
                session, case_id=case_id, cadre=actor, role=role, amount=amount, note=note,
                now=now, config=config,
            )  # fmt: skip
        elif action == CaseAction.PUBLISH:
            await publish(session, case_id, actor=actor, role=role, now=now, config=config)
        else:
            text = html.escape(words, quote=False)  # a step's text is HTML
            await act(
                session, case_id, action=action, actor=actor, role=role, now=now, config=config,
                text=text,
            )  # fmt: skip


async def case_act(call: Call) -> web.Response:
    """Take an action on a case, if its table allows it to this cadre from its status now."""
    body = await call.body()
    try:
        action = CaseAction(str(body.get("action") or ""))
    except ValueError:
        raise Refused("action_not_allowed") from None
    if action in CHAT_ONLY or action == CaseAction.VIEW:
        raise Refused("action_not_allowed")
    case_id = call.id()
    await _take(call, case_id, action, body)
    call.deps.delivery.wake()
    return answer(await _card(call, case_id))
