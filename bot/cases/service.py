"""Cases: submitting, the cadres' actions, the relayed thread, ratings, and SLA escalation.

Telegram-free. Every message to a reporter or a cadre goes through the outbox. An anonymous
case never puts the reporter's identity into anything a cadre sees; its link to the reporter
is used only to relay and is erased when the case closes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.core.text_split import split_html
from bot.greetings.celebrations import working
from bot.strings import Html, Lang, normalise_lang, t
from storage import cases, members, outbox
from storage.models import Case, Member
from storage.statuses import CaseActor, CaseStatus

Identity = Literal["named", "anonymous", "no_follow_up"]
Action = Literal[
    "ack",
    "assign",
    "reply",
    "ask",
    "progress",
    "escalate",
    "resolve",
    "reject",
    "adopt",
    "study",
    "decline",
    "approve",
]
REPORTER_RELAY = "case_reporter"  # outbox rows to a reporter, purged once an anonymous case closes
TEXT_ACTIONS = frozenset({"reply", "ask", "escalate", "resolve", "reject", "decline"})
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
STATUS_AFTER: dict[str, CaseStatus] = {
    "ack": CaseStatus.ACKNOWLEDGED,
    "progress": CaseStatus.IN_PROGRESS,
    "escalate": CaseStatus.ESCALATED,
    "resolve": CaseStatus.RESOLVED,
    "reject": CaseStatus.REJECTED,
    "adopt": CaseStatus.ADOPTED,
    "study": CaseStatus.UNDER_STUDY,
    "decline": CaseStatus.DECLINED,
    "approve": CaseStatus.APPROVED,
}


class CaseError(Exception):
    """An action that does not fit the case's state; key names the catalogue text."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def add_working_days(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same local time `days` working days later (0: the end of that working day)."""
    local = start.astimezone(zone)
    day = local.date()
    if days == 0:
        while not working(day):
            day += timedelta(days=1)
        return datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(start.tzinfo)
    for _ in range(days):
        day += timedelta(days=1)
        while not working(day):
            day += timedelta(days=1)
    return datetime.combine(day, local.time(), tzinfo=zone).astimezone(start.tzinfo)


async def _new_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not await cases.code_taken(session, code):
            return code


@dataclass(frozen=True)
class Outgoing:
    """Rows to queue after a change (the caller enqueues them in the same transaction)."""

    rows: list[dict[str, Any]]


def member_lang(member: Member) -> Lang:
    return normalise_lang(member.language)


def _who(case: Case, reporter: Member | None, lang: Lang) -> str:
    if case.anonymous or reporter is None:
        return t(lang, "case_anonymous")
    return reporter.name


async def active_cadres(session: AsyncSession, config: Config) -> list[Member]:
    people = await members.with_role(session, roles=["cadre"])
    known = {m.telegram_id for m in people}
    for admin in config.union.admins:
        if admin not in known and (member := await members.get_by_telegram_id(session, admin)):
            people.append(member)
    return [m for m in people if m.telegram_id is not None and m.active]


def _message(
    key: str,
    chat_id: int,
    text: str,
    markup: dict[str, Any] | None = None,
    member_id: int | None = None,
) -> dict[str, Any]:
    """An outbox row for a case message; long texts (a 10,000-character report) are split."""
    payload: dict[str, Any] = {"parts": [{"text": piece} for piece in split_html(text)]}
    if markup:
        payload["markup"] = markup
    return {
        "key": key,
        "kind": "case",
        "chat_id": chat_id,
        "member_id": member_id,
        "payload": payload,
    }


def member_message(
    key: str, member: Member, text: str, markup: dict[str, Any] | None = None
) -> dict[str, Any]:
    assert member.telegram_id is not None
    return _message(key, member.telegram_id, text, markup, member.id)


async def submit(
    session: AsyncSession,
    *,
    reporter: Member,
    category: str,
    text: str,
    attachments: list[dict[str, Any]],
    identity: Identity,
    now: datetime,
    config: Config,
    kind: str = "grievance",
) -> Case:
    """File a case, tell the cadres (never who an anonymous reporter is) and queue it."""
    sla = config.cases.sla_for(category)
    zone = config.union.zone
    case = await cases.add(
        session,
        code=await _new_code(session),
        kind=kind,
        category=category,
        department=reporter.department,
        text=text,
        attachments=attachments,
        anonymous=identity != "named",
        follow_up=identity != "no_follow_up",
        reporter_member_id=reporter.id if identity != "no_follow_up" else None,
        created_at=now,
        ack_due=add_working_days(now, sla.ack_days, zone),
        resolve_due=add_working_days(now, sla.resolve_days, zone),
    )
    assert case.id is not None
    entry = await cases.add_entry(
        session, case_id=case.id, actor=CaseActor.REPORTER, action="submitted", at=now
    )
    rows = []
    for cadre in await active_cadres(session, config):
        lang = member_lang(cadre)
        body = t(
            lang,
            "case_new_cadre",
            id=case.id,
            category=category,
            department=case.department,
            who=_who(case, reporter, lang),
            text=Html(text),
        )
        rows.append(
            member_message(
                f"case:{case.id}:entry:{entry.id}:cadre:{cadre.id}", cadre, body, open_button(case)
            )
        )
    if config.cases.cadres_chat:
        group_text = t(
            config.union.default_language, "case_new_group", id=case.id, category=category
        )
        rows.append(_message(f"case:{case.id}:new:chat", config.cases.cadres_chat, group_text))
    await outbox.enqueue(session, rows, now=now)
    return case


def open_button(case: Case) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": "📂 #" + str(case.id), "callback_data": f"cd:view:{case.id}"}]
        ]
    }


def reporter_markup(case: Case, lang: Lang, *, rating: bool = False) -> dict[str, Any]:
    rows = [[{"text": t(lang, "btn_case_add"), "callback_data": f"cs:add:{case.id}"}]]
    if rating:
        rows = [
            [
                {"text": t(lang, "btn_rate_yes"), "callback_data": f"cs:rate:{case.id}:1"},
                {"text": t(lang, "btn_rate_no"), "callback_data": f"cs:rate:{case.id}:0"},
            ]
        ]
    return {"inline_keyboard": rows}


async def _tell_reporter(
    session: AsyncSession,
    case: Case,
    key: str,
    text_key: str,
    *,
    text: str = "",
    rating: bool = False,
) -> list[dict[str, Any]]:
    if case.reporter_member_id is None:
        return []
    reporter = await members.get(session, case.reporter_member_id)
    if reporter is None or reporter.telegram_id is None:
        return []
    lang = member_lang(reporter)
    body = t(lang, text_key, id=case.id or 0, text=Html(text))
    row = member_message(key, reporter, body, reporter_markup(case, lang, rating=rating))
    return [row | {"kind": REPORTER_RELAY}]


def _close(case: Case, now: datetime) -> None:
    case.closed_at = now
    if case.anonymous:
        case.reporter_member_id = None  # the link existed only to relay; it goes now


async def act(
    session: AsyncSession,
    case: Case,
    *,
    cadre: Member,
    action: Action,
    now: datetime,
    config: Config,
    text: str = "",
    assignee: Member | None = None,
) -> None:
    """A cadre's action on a case: recorded, and told to the reporter (and the chair)."""
    assert case.id is not None
    if case.status in cases.FINISHED and action != "reply":
        raise CaseError("case_finished")
    if action in TEXT_ACTIONS and not text.strip():
        raise CaseError("case_text_needed")
    if action == "assign" and assignee is None:
        raise CaseError("case_pick_cadre")
    entry = await cases.add_entry(
        session,
        case_id=case.id,
        actor=CaseActor.CADRE,
        action=action,
        at=now,
        text=text or None,
        cadre_member_id=cadre.id,
    )
    key = f"case:{case.id}:entry:{entry.id}"
    rows: list[dict[str, Any]] = []
    if action == "assign" and assignee is not None:
        case.assignee_member_id = assignee.id
        lang = member_lang(assignee)
        body = t(lang, "case_assigned_to_you", id=case.id, category=case.category)
        rows.append(member_message(f"{key}:assignee", assignee, body, open_button(case)))
    if action in STATUS_AFTER:
        case.status = STATUS_AFTER[action]
    if action == "ack" and case.acknowledged_at is None:
        case.acknowledged_at = now
    if action in ("resolve", "approve"):
        case.resolved_at = now
    if action in ("reject", "decline"):
        rows += await _tell_reporter(
            session, case, f"{key}:reporter", f"case_told_{action}", text=text
        )
        _close(case, now)
    elif action == "escalate":
        rows += await tell_chairs(
            session, case, f"{key}:chair", "case_escalated_chair", note=text, config=config
        )
        rows += await _tell_reporter(session, case, f"{key}:reporter", "case_told_escalate")
    elif action != "assign":
        rows += await _tell_reporter(
            session,
            case,
            f"{key}:reporter",
            f"case_told_{action}",
            text=text,
            rating=action == "resolve",
        )
    await cases.save(session, case)
    await outbox.enqueue(session, rows, now=now)


async def tell_chairs(
    session: AsyncSession, case: Case, key: str, text_key: str, *, note: str, config: Config
) -> list[dict[str, Any]]:
    rows = []
    for admin in config.union.admins:
        member = await members.get_by_telegram_id(session, admin)
        lang = member_lang(member) if member else config.union.default_language
        body = t(
            lang,
            text_key,
            id=case.id or 0,
            category=case.category,
            department=case.department,
            text=Html(note),
        )
        rows.append(
            _message(
                f"{key}:{admin}", admin, body, open_button(case), member.id if member else None
            )
        )
    return rows


async def reporter_adds(
    session: AsyncSession, case: Case, *, text: str, now: datetime, config: Config
) -> None:
    """The reporter adds information; it reaches the assignee, or every cadre if none."""
    assert case.id is not None
    if case.status in ("closed", "rejected"):
        raise CaseError("case_finished")
    entry = await cases.add_entry(
        session, case_id=case.id, actor=CaseActor.REPORTER, action="added_info", at=now, text=text
    )
    targets = await active_cadres(session, config)
    if case.assignee_member_id is not None:
        targets = [m for m in targets if m.id == case.assignee_member_id] or targets
    rows = []
    for cadre in targets:
        body = t(member_lang(cadre), "case_reporter_added", id=case.id, text=Html(text))
        rows.append(
            member_message(
                f"case:{case.id}:entry:{entry.id}:cadre:{cadre.id}", cadre, body, open_button(case)
            )
        )
    await outbox.enqueue(session, rows, now=now)


async def rate(
    session: AsyncSession, case: Case, *, satisfied: bool, now: datetime, config: Config
) -> None:
    """Satisfied closes the case; not satisfied reopens it for the chair."""
    assert case.id is not None
    if case.status != CaseStatus.RESOLVED:
        raise CaseError("case_not_resolved")
    case.rating = 1 if satisfied else 0
    entry = await cases.add_entry(
        session,
        case_id=case.id,
        actor=CaseActor.REPORTER,
        action="rated",
        at=now,
        text="satisfied" if satisfied else "not satisfied",
    )
    rows = []
    if satisfied:
        case.status = CaseStatus.CLOSED
        _close(case, now)
    else:
        case.status = CaseStatus.ESCALATED
        case.resolved_at = None
        rows = await tell_chairs(
            session,
            case,
            f"case:{case.id}:entry:{entry.id}:chair",
            "case_reopened_chair",
            note="",
            config=config,
        )
    await cases.save(session, case)
    await outbox.enqueue(session, rows, now=now)
