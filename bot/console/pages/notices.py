"""通知: compose with a preview identical to what members will see and the reach per
department, send now or schedule; the receipts board (progress per department, who has not
confirmed, remind once per press); the scheduled list with change and cancel."""

from __future__ import annotations

import asyncio
import html
from typing import Any

from aiohttp import web

from bot.console.http import Call, FieldErrors, answer
from bot.core.flow import Rejected
from bot.core.states import Refused
from bot.core.telegram_html import plain, safe_html
from bot.jobs import minute_tick
from bot.notices import audience, schedule
from bot.notices.audience import DepartmentReach
from bot.notices.form import NoticeDraft, accept_when
from bot.notices.form_view import preview, summary
from bot.notices.reach_view import missed_names, reason_text
from bot.notices.receipts import receipts, summary_line
from bot.notices.reminders import remind
from bot.notices.views import board_notice, recent_notices, sent_notice, waiting_notices
from bot.strings import t
from storage.models import Notice
from storage.statuses import NoticeStatus, NoticeTarget

MAX_TEXT = 20_000
RECENT = 20
_releases: set[asyncio.Task[int]] = set()


def _when(call: Call, raw: object, errors: dict[str, str]) -> Any:
    typed = str(raw or "").replace("T", " ").strip()
    if not typed:
        return None
    zone = call.deps.config.union.zone
    moment = accept_when(typed, now=call.now, zone=zone)
    if isinstance(moment, Rejected):
        errors["when"] = plain(t(call.lang, moment.key))
        return None
    return moment


def draft_of(call: Call, body: dict[str, Any]) -> NoticeDraft:
    """The notice the form describes, or FieldErrors next to the fields that will not do."""
    errors: dict[str, str] = {}
    text = str(body.get("text") or "").strip()
    if not text:
        errors["text"] = plain(t(call.lang, "console_notice_empty"))
    elif len(text) > MAX_TEXT:
        errors["text"] = plain(t(call.lang, "console_notice_too_long", limit=MAX_TEXT))
    try:
        target = NoticeTarget(str(body.get("target") or ""))
    except ValueError:
        target = NoticeTarget.GROUPS
        errors["target"] = plain(t(call.lang, "console_pick_one"))
    known = call.deps.config.union.departments
    departments: list[str] | None = None
    if body.get("scope") == "departments":
        chosen = {str(name) for name in body.get("departments") or []}
        departments = [name for name in known if name in chosen]
        if not departments:
            errors["departments"] = plain(t(call.lang, "notice_pick_department"))
    when = _when(call, body.get("when"), errors)
    if errors:
        raise FieldErrors(errors)
    return NoticeDraft(
        text=html.escape(text, quote=False),  # typed as text: it is shown exactly as typed
        target=target,
        departments=departments,
        ack=bool(body.get("ack")),
        pin=bool(body.get("pin")) and target != NoticeTarget.MEMBERS,
        when=when,
    )


async def notice_preview(call: Call) -> web.Response:
    """Exactly what members will see, who it reaches per department, and the summary."""
    deps, lang = call.deps, call.lang
    draft = draft_of(call, await call.body())
    union = deps.config.union
    notice = schedule.as_notice(draft, author=call.caller.telegram_id, now=call.now)
    async with deps.db.read() as session:
        found = await audience.reach(
            session, notice, private_when_no_group=deps.notice_policy.private_when_no_group
        )
    parts, keyboard = preview(
        notice, found, lang, union=union.name, group_lang=union.default_language
    )
    buttons = [button.label for row in keyboard.rows for button in row] if keyboard else []
    return answer(
        {
            "parts": [{"html": safe_html(part.text)} for part in parts],
            "buttons": buttons,
            "reach": [_department(entry, call) for entry in found.entries],
            "ask": bool(found.without_group),
            "summary": plain(summary(draft, lang, found, union.zone)),
        }
    )


def _department(entry: DepartmentReach, call: Call) -> dict[str, Any]:
    """One department's reach as the console shows it (the preview's and the receipts')."""
    return {
        "department": entry.department or plain(t(call.lang, "word_unbound")),
        "groups": entry.groups,
        "people": entry.people,
        "by_group": entry.by_group,
        "privately": entry.privately,
        "waiting": entry.waiting,
        "unreachable": [plain(name) for name in missed_names(entry, call.lang)],
    }


async def notice_send(call: Call) -> web.Response:
    """Send the notice now (released off this request, as the chat does) or schedule it."""
    deps = call.deps
    draft = draft_of(call, await call.body())
    async with deps.db.begin() as session:
        notice = await schedule.create(session, draft, author=call.caller.telegram_id, now=call.now)
    if draft.when is None:
        task = asyncio.get_running_loop().create_task(minute_tick(deps), name=schedule.RELEASE_TASK)
        _releases.add(task)
        task.add_done_callback(_releases.discard)
    local = notice.scheduled_at.astimezone(deps.config.union.zone).strftime("%Y-%m-%d %H:%M")
    return answer({"id": notice.id, "scheduled": draft.when is not None, "when": local})


def _line(notice: Notice, call: Call) -> dict[str, Any]:
    zone = call.deps.config.union.zone
    return {
        "id": notice.id,
        "title": plain(summary_line(notice, call.lang, zone)),
        "ack": notice.require_ack,
        "when": (notice.released_at or notice.scheduled_at)
        .astimezone(zone)
        .strftime("%Y-%m-%d %H:%M"),
        "text": plain(notice.text)[:200],
    }


async def notice_list(call: Call) -> web.Response:
    """Recent notices with their confirmation so far, and those waiting to go out."""
    async with call.deps.db.read() as session:
        recent = await recent_notices(session, limit=RECENT)
        totals = await audience.totals(session, [n.id for n in recent if n.id is not None])
        waiting = await waiting_notices(session)
    sent = []
    for notice in recent:
        people, confirmed = totals.get(notice.id or 0, (0, 0))
        sent.append(_line(notice, call) | {"audience": people, "confirmed": confirmed})
    return answer({"sent": sent, "scheduled": [_line(n, call) for n in waiting]})


async def notice_receipts(call: Call) -> web.Response:
    """The receipts board of one notice: per department, and who has not confirmed."""
    async with call.deps.db.read() as session:
        notice = await board_notice(session, call.id())
        board = await receipts(session, notice)
    if notice.status == NoticeStatus.SCHEDULED:
        if notice.scheduled_at > call.now:
            raise Refused("console_notice_not_yet")
        return answer(_line(notice, call) | {"releasing": True})  # the tick is releasing it
    lang = call.lang
    departments = [
        _department(entry.reach, call)
        | {
            "audience": entry.reach.people,
            "confirmed": entry.confirmed,
            "unconfirmed": entry.unconfirmed,
        }
        for entry in board.departments
    ]
    failed = {k: n for k, n in board.group_posts.items() if k not in ("sent", "waiting")}
    groups = {
        "sent": board.group_posts["sent"],
        "waiting": board.group_posts["waiting"],
        "failures": [
            {"reason": plain(reason_text(lang, code)), "count": count}
            for code, count in sorted(failed.items())
        ],
    }
    return answer(
        _line(notice, call)
        | {"rounds": notice.reminders_sent, "departments": departments, "groups": groups}
    )


async def notice_remind(call: Call) -> web.Response:
    """Remind everyone who has not confirmed — one round per press, drawn from `rounds`."""
    deps = call.deps
    body = await call.body()
    rounds = body.get("rounds")
    if not isinstance(rounds, int):
        raise FieldErrors({"rounds": plain(t(call.lang, "console_bad_request"))})
    union = deps.config.union
    async with deps.db.begin() as session:
        notice = await sent_notice(session, call.id())
        count = await remind(
            session, notice, seen=rounds, now=call.now, zone=union.zone, union=union.name,
            night=deps.config.notices.night,
        )  # fmt: skip
    deps.delivery.wake()
    return answer({"queued": count, "rounds": rounds + 1,
                   "message": plain(t(call.lang, "reminders_queued", count=count))})  # fmt: skip


async def notice_reschedule(call: Call) -> web.Response:
    errors: dict[str, str] = {}
    when = _when(call, (await call.body()).get("when"), errors)
    if when is None:
        raise FieldErrors(errors or {"when": plain(t(call.lang, "when_bad_format"))})
    async with call.deps.db.begin() as session:
        notice = await schedule.reschedule(session, call.id(), when)
    return answer(_line(notice, call))


async def notice_rewrite(call: Call) -> web.Response:
    text = str((await call.body()).get("text") or "").strip()
    if not text:
        raise FieldErrors({"text": plain(t(call.lang, "console_notice_empty"))})
    async with call.deps.db.begin() as session:
        notice = await schedule.rewrite_text(session, call.id(), html.escape(text, quote=False))
    return answer(_line(notice, call))


async def notice_cancel(call: Call) -> web.Response:
    async with call.deps.db.begin() as session:
        await schedule.cancel(session, call.id())
    return answer({"cancelled": call.id()})
