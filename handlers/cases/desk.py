"""The cadres' case desk: /cases, one case's view and every action on it."""

from __future__ import annotations

from typing import Any, cast

from telegram import Update
from telegram.ext import BaseHandler

from bot.cases.service import TEXT_ACTIONS, Action, CaseError, act
from bot.context import Ctx, FlowHandler
from bot.delivery.telegram_transport import TelegramTransport
from bot.roles import Role
from bot.strings import Html, Lang, t
from bot.suggestions.service import publish
from handlers.care.life_events import start_visit
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, keyboard, say
from handlers.rights.kb_admin import start_from_case
from storage import cases, dialogs, members
from storage.models import Case, Dialog

FLOW = "case_desk"
LISTS = {"open": cases.OPEN, "done": cases.FINISHED}
# Which actions each kind of case offers on the desk, row by row.
DESK_ACTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "grievance": (
        ("ack", "progress", "assign"),
        ("reply", "ask", "escalate"),
        ("resolve", "reject"),
    ),
    "suggestion": (("ack", "study", "adopt"), ("reply", "decline", "publish")),
    "life_event": (("ack", "assign", "visit"), ("reply", "resolve")),
    "hardship": (("ack", "assign", "ask"), ("reply", "approve", "reject")),
    "consultation": (("ack", "assign", "reply"), ("resolve", "kbsave")),
}


def _line(case: Case, lang: Lang) -> str:
    return t(
        lang,
        "desk_line",
        id=case.id or 0,
        category=case.category,
        department=case.department,
        status=t(lang, f"status_{case.status}"),
    )


async def on_cases(update: Update, context: Ctx) -> None:
    """Open cases, newest first; `/cases overdue|done`, or a category or department name."""
    await _list(update, context, " ".join(context.args or []).strip() or "open")


async def _list(update: Update, context: Ctx, which: str) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        if which == "overdue":
            found = await cases.inbox(session, statuses=cases.OPEN, overdue_at=deps.clock.now())
        elif which in deps.config.cases.categories:
            found = await cases.inbox(session, statuses=cases.OPEN, category=which)
        elif which in deps.config.union.departments:
            found = await cases.inbox(session, statuses=cases.OPEN, department=which)
        else:
            found = await cases.inbox(session, statuses=LISTS.get(which, cases.OPEN))
    rows = [[(_line(c, lang), f"cd:view:{c.id}")] for c in found]
    rows.append(
        [(t(lang, f"btn_cases_{name}"), f"cd:list:{name}") for name in ("open", "overdue", "done")]
    )
    head = t(
        lang,
        "desk_title",
        which=t(lang, f"btn_cases_{which if which in ('overdue', 'done') else 'open'}"),
    )
    await say(
        update, context, head if found else head + "\n" + t(lang, "desk_empty"), keyboard(rows)
    )


async def _view(update: Update, context: Ctx, case_id: int) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        case = await cases.get(session, case_id)
        if case is None:
            await answer(update, context, t(lang, "case_unknown"), alert=True)
            return
        thread = await cases.entries(session, case_id)
        reporter = (
            await members.get(session, case.reporter_member_id)
            if case.reporter_member_id and not case.anonymous
            else None
        )
        assignee = (
            await members.get(session, case.assignee_member_id) if case.assignee_member_id else None
        )
    who = reporter.name if reporter is not None else t(lang, "case_anonymous")
    head = t(
        lang,
        "desk_case",
        id=case.id or 0,
        category=case.category,
        department=case.department,
        who=who,
        status=t(lang, f"status_{case.status}"),
        assignee=assignee.name if assignee else t(lang, "word_none"),
        due=case.resolve_due.astimezone(deps.config.union.zone).strftime("%m-%d %H:%M"),
    )
    lines = [head, case.text] + [
        t(lang, f"desk_entry_{e.actor}", action=t(lang, f"action_{e.action}"), text=e.text or "")
        for e in thread[1:]
    ]
    rows = [
        [(t(lang, f"btn_act_{a}"), f"cd:{a}:{case_id}") for a in row]
        for row in DESK_ACTIONS[case.kind]
    ]
    await say(update, context, Html("\n\n".join(lines)), keyboard(rows))
    chat = update.effective_chat
    if chat is not None:
        for attachment in case.attachments:  # the reporter's photos and files, by file_id
            await TelegramTransport(context.bot).send(
                chat.id, {attachment["kind"]: attachment["file_id"], "text": ""}, None
            )


async def on_desk_button(update: Update, context: Ctx) -> None:
    """List, view, act (or ask for the text an action needs), assign to a cadre."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    action, target = parts[1], parts[2]
    caller, deps = context.caller, context.deps
    if action == "list":
        await _list(update, context, target)
        return
    case_id = int(target)
    if action == "view":
        await _view(update, context, case_id)
        return
    if action == "kbsave":
        await start_from_case(update, context, case_id)
        return
    if action == "visit":
        await start_visit(context, case_id)
        await say(
            update,
            context,
            t(caller.lang, "visit_prompt", id=case_id) + "\n\n" + t(caller.lang, "cancel_hint"),
        )
        return
    if action == "approve" and caller.role < Role.ADMIN:
        await answer(update, context, t(caller.lang, "chair_only"), alert=True)
        return
    if action == "publish":
        async with deps.db.begin() as session:
            case = await cases.get(session, case_id)
            queued = (
                await publish(session, case, now=deps.clock.now(), config=deps.config)
                if case
                else -1
            )
        deps.delivery.wake()
        await answer(
            update,
            context,
            t(caller.lang, "suggestion_published" if queued >= 0 else "suggestion_not_adopted"),
            alert=True,
        )
        return
    if action == "assign":
        async with deps.db.read() as session:
            cadres = await members.with_role(session, roles=["cadre"])
        rows = [[(c.name, f"cd:to:{case_id}:{c.id}")] for c in cadres]
        await say(update, context, t(caller.lang, "desk_pick_cadre"), keyboard(rows))
        return
    if action in TEXT_ACTIONS:
        async with deps.db.begin() as session:
            await dialogs.put(
                session,
                user_id=caller.telegram_id,
                flow=FLOW,
                step=0,
                data={"case_id": case_id, "action": action},
                now=deps.clock.now(),
            )
        await say(
            update,
            context,
            t(caller.lang, f"desk_prompt_{action}", id=case_id)
            + "\n\n"
            + t(caller.lang, "cancel_hint"),
        )
        return
    assignee_id = int(parts[3]) if action == "to" else None
    await _apply(
        update,
        context,
        case_id,
        cast(Action, "assign" if action == "to" else action),
        assignee_id=assignee_id,
    )


async def on_desk_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The text an action needs: the reply, the question, the note, the outcome, the reason."""
    message = update.effective_message
    text = message.text_html if message is not None and message.text else ""
    if not text.strip():
        await say(update, context, t(context.caller.lang, "text_expected"))
        return
    async with context.deps.db.begin() as session:
        await dialogs.clear(session, user_id=context.caller.telegram_id)
    await _apply(
        update,
        context,
        int(dialog.data["case_id"]),
        cast(Action, dialog.data["action"]),
        text=text,
    )


async def _apply(
    update: Update,
    context: Ctx,
    case_id: int,
    action: Action,
    *,
    text: str = "",
    assignee_id: int | None = None,
) -> None:
    caller, deps = context.caller, context.deps
    lang = caller.lang
    try:
        async with deps.db.begin() as session:
            case = await cases.get(session, case_id)
            cadre = caller.member or await members.get_by_telegram_id(session, caller.telegram_id)
            if case is None or cadre is None:
                raise CaseError("case_unknown")
            assignee = await members.get(session, assignee_id) if assignee_id is not None else None
            if assignee_id is not None and (assignee is None or assignee.role != "cadre"):
                raise CaseError("case_pick_cadre")
            await act(
                session,
                case,
                cadre=cadre,
                action=action,
                now=deps.clock.now(),
                config=deps.config,
                text=text,
                assignee=assignee,
            )
    except CaseError as exc:
        if update.callback_query is not None:
            await answer(update, context, t(lang, exc.key), alert=True)
        else:
            await say(update, context, t(lang, exc.key))
        return
    deps.delivery.wake()
    done = t(lang, "desk_done", id=case_id, action=t(lang, f"action_{action}"))
    if update.callback_query is not None:
        await answer(update, context, done)
    else:
        await say(update, context, done)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("cases", on_cases, role=Role.CADRE),
        legacy_button(
            r"^cd:list:(open|overdue|done)$", on_desk_button, role=Role.CADRE, where="private"
        ),
        legacy_button(
            r"^cd:(view|ack|progress|assign|reply|ask|escalate|resolve|reject|adopt|study|decline|publish|visit|approve|kbsave):(\d{1,12})$",
            on_desk_button,
            role=Role.CADRE,
            where="private",
        ),
        legacy_button(
            r"^cd:to:(\d{1,12}):(\d{1,12})$", on_desk_button, role=Role.CADRE, where="private"
        ),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(FLOW, Role.CADRE, on_desk_message, "cancel_done"),
    ]
