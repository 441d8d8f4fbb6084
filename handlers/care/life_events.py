"""Care: /lifeevent (五必访), /hardship applications, visits over the cap, /carestats."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.care.service import (
    ANNOUNCEABLE,
    EVENT_KINDS,
    announce,
    approve_visit,
    care_stats,
    parse_visit,
    record_visit,
)
from bot.cases.service import submit
from bot.context import Ctx, FlowHandler
from bot.roles import Role
from bot.strings import t
from handlers.core.dialog_state import dialog_at, save_step
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import edit, keyboard, say
from storage import cases, dialogs, members
from storage.models import Dialog

EVENT_FLOW, HARDSHIP_FLOW, VISIT_FLOW, APPROVE_FLOW = (
    "life_event",
    "hardship",
    "visit",
    "visit_approve",
)


class EventStep(IntEnum):
    KIND = 1
    WHO = 2
    NAME = 3
    DETAILS = 4
    SHARE = 5
    CONFIRM = 6


async def on_lifeevent(update: Update, context: Ctx) -> None:
    """Tell the union about an illness, a wedding, a birth, a bereavement or a hardship."""
    lang = context.caller.lang
    await save_step(context, EVENT_FLOW, EventStep.KIND, {})
    rows = [[(t(lang, f"care_kind_{k}"), f"le:kind:{k}")] for k in EVENT_KINDS]
    await say(
        update, context, t(lang, "care_ask_kind") + "\n\n" + t(lang, "cancel_hint"), keyboard(rows)
    )


async def on_event_button(update: Update, context: Ctx) -> None:
    """Kind, whose event, consent to announce, send."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, value = query.data.split(":")
    caller = context.caller
    lang = caller.lang
    expected = {
        "kind": EventStep.KIND,
        "who": EventStep.WHO,
        "share": EventStep.SHARE,
        "go": EventStep.CONFIRM,
    }
    dialog = await dialog_at(update, context, EVENT_FLOW, expected[kind])
    if dialog is None:
        return
    data = dict(dialog.data)
    if kind == "kind" and value in EVENT_KINDS:
        data["event"] = value
        await save_step(context, EVENT_FLOW, EventStep.WHO, data)
        await edit(
            update,
            t(lang, "care_ask_who"),
            keyboard(
                [
                    [
                        (t(lang, "btn_care_self"), "le:who:self"),
                        (t(lang, "btn_care_other"), "le:who:other"),
                    ]
                ]
            ),
        )
    elif kind == "who":
        if value == "self":
            assert caller.member is not None
            data["subject"] = caller.member.name
            await save_step(context, EVENT_FLOW, EventStep.DETAILS, data)
            await edit(update, t(lang, "care_ask_details"))
        else:
            await save_step(context, EVENT_FLOW, EventStep.NAME, data)
            await edit(update, t(lang, "care_ask_name"))
    elif kind == "share":
        data["share"] = value == "1"
        await save_step(context, EVENT_FLOW, EventStep.CONFIRM, data)
        await _confirm(update, context, data)
    elif kind == "go":
        await _send_event(update, context, data, value == "send")


async def on_event_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """A colleague's name, or the when and where."""
    lang = context.caller.lang
    message = update.effective_message
    text = (message.text or "").strip() if message is not None else ""
    if not text or dialog.step not in (EventStep.NAME, EventStep.DETAILS):
        await say(update, context, t(lang, "text_expected" if not text else "use_buttons"))
        return
    data = dict(dialog.data)
    if dialog.step == EventStep.NAME:
        data["subject"] = text[:32]
        await save_step(context, EVENT_FLOW, EventStep.DETAILS, data)
        await say(update, context, t(lang, "care_ask_details"))
        return
    data["details"] = text
    if data["event"] in ANNOUNCEABLE:
        await save_step(context, EVENT_FLOW, EventStep.SHARE, data)
        await say(
            update,
            context,
            t(lang, "care_ask_share"),
            keyboard(
                [
                    [
                        (t(lang, "btn_share_yes"), "le:share:1"),
                        (t(lang, "btn_share_no"), "le:share:0"),
                    ]
                ]
            ),
        )
        return
    data["share"] = False  # illness, bereavement and hardship are never announced
    await save_step(context, EVENT_FLOW, EventStep.CONFIRM, data)
    await _confirm(update, context, data)


async def _confirm(update: Update, context: Ctx, data: dict[str, Any]) -> None:
    lang = context.caller.lang
    text = t(
        lang,
        "care_summary",
        event=t(lang, f"care_kind_{data['event']}"),
        subject=data["subject"],
        details=data["details"],
        share=t(lang, "word_yes" if data.get("share") else "word_no"),
    )
    markup = keyboard(
        [
            [
                (t(lang, "btn_report_send"), "le:go:send"),
                (t(lang, "btn_notice_cancel"), "le:go:cancel"),
            ]
        ]
    )
    if update.callback_query is not None:
        await edit(update, text, markup)
    else:
        await say(update, context, text, markup)


async def _send_event(update: Update, context: Ctx, data: dict[str, Any], send: bool) -> None:
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        if send:
            now = deps.clock.now()
            case = await submit(
                session,
                reporter=caller.member,
                category=data["event"],
                text=f"{data['subject']}：{data['details']}",
                attachments=[],
                identity="named",
                now=now,
                config=deps.config,
                kind="life_event",
            )
            if data.get("share"):
                await announce(
                    session,
                    case=case,
                    subject=data["subject"],
                    event=data["event"],
                    now=now,
                    config=deps.config,
                )
    if not send:
        await edit(update, t(caller.lang, "report_cancelled"))
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "care_sent", id=case.id or 0))


async def on_hardship(update: Update, context: Ctx) -> None:
    """Apply for hardship aid: the situation, then which documents are ready."""
    lang = context.caller.lang
    await save_step(context, HARDSHIP_FLOW, 1, {"docs": []})
    await say(update, context, t(lang, "hardship_ask") + "\n\n" + t(lang, "cancel_hint"))


async def on_hardship_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    lang = context.caller.lang
    message = update.effective_message
    text = (message.text or "").strip() if message is not None else ""
    if not text or dialog.step != 1:
        await say(update, context, t(lang, "text_expected" if not text else "use_buttons"))
        return
    data = {**dialog.data, "details": text}
    await save_step(context, HARDSHIP_FLOW, 2, data)
    await _checklist(update, context, data)


async def _checklist(update: Update, context: Ctx, data: dict[str, Any]) -> None:
    lang, documents = context.caller.lang, context.deps.config.care.hardship_documents
    rows = [
        [(("✅ " if i in data["docs"] else "☐ ") + name, f"hd:doc:{i}")]
        for i, name in enumerate(documents)
    ]
    rows.append(
        [(t(lang, "btn_report_send"), "hd:go:send"), (t(lang, "btn_notice_cancel"), "hd:go:cancel")]
    )
    text = t(lang, "hardship_docs")
    if update.callback_query is not None:
        await edit(update, text, keyboard(rows))
    else:
        await say(update, context, text, keyboard(rows))


async def on_hardship_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, value = query.data.split(":")
    caller, deps = context.caller, context.deps
    dialog = await dialog_at(update, context, HARDSHIP_FLOW, 2)
    if dialog is None:
        return
    data = dict(dialog.data)
    documents = deps.config.care.hardship_documents
    if kind == "doc" and value.isdigit() and int(value) < len(documents):
        index = int(value)
        data["docs"] = sorted(set(data["docs"]) ^ {index})
        await save_step(context, HARDSHIP_FLOW, 2, data)
        await _checklist(update, context, data)
        return
    assert caller.member is not None
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        if value == "send":
            ready = "、".join(documents[i] for i in data["docs"]) or t(caller.lang, "word_none")
            case = await submit(
                session,
                reporter=caller.member,
                category=t(caller.lang, "hardship_category"),
                text=f"{data['details']}\n{t(caller.lang, 'hardship_ready', docs=ready)}",
                attachments=[],
                identity="named",
                now=deps.clock.now(),
                config=deps.config,
                kind="hardship",
            )
    if value != "send":
        await edit(update, t(caller.lang, "report_cancelled"))
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "hardship_sent", id=case.id or 0))


async def start_visit(context: Ctx, case_id: int) -> None:
    """From the case desk: ask for the amount and what was given."""
    await save_step(context, VISIT_FLOW, 1, {"case_id": case_id})


async def on_visit_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    caller, deps = context.caller, context.deps
    message = update.effective_message
    parsed = parse_visit(message.text or "" if message is not None else "")
    if parsed is None:
        await say(update, context, t(caller.lang, "visit_bad"))
        return
    amount, note = parsed
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        case = await cases.get(session, int(dialog.data["case_id"]))
        cadre = caller.member or await members.get_by_telegram_id(session, caller.telegram_id)
        if case is None or cadre is None:
            await say(update, context, t(caller.lang, "case_unknown"))
            return
        visit = await record_visit(
            session,
            case=case,
            cadre=cadre,
            amount=amount,
            note=note,
            now=deps.clock.now(),
            config=deps.config,
        )
    deps.delivery.wake()
    await say(
        update,
        context,
        t(
            caller.lang,
            "visit_pending" if visit.status == "pending" else "visit_recorded",
            amount=amount,
        ),
    )


async def on_approve_button(update: Update, context: Ctx) -> None:
    """The chair approves a visit over the cap: a reason is asked for and kept."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await save_step(context, APPROVE_FLOW, 1, {"visit_id": int(query.data.split(":")[2])})
    await say(update, context, t(context.caller.lang, "visit_reason"))


async def on_approve_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    caller, deps = context.caller, context.deps
    message = update.effective_message
    reason = (message.text or "").strip() if message is not None else ""
    if not reason:
        await say(update, context, t(caller.lang, "visit_reason"))
        return
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        visit = await approve_visit(
            session, visit_id=int(dialog.data["visit_id"]), chair=caller.telegram_id, reason=reason
        )
    await say(update, context, t(caller.lang, "visit_approved" if visit else "button_expired"))


async def on_carestats(update: Update, context: Ctx) -> None:
    """This year's visits by kind and department, and spending against the caps."""
    lang, deps = context.caller.lang, context.deps
    year_start = datetime(
        deps.clock.now().astimezone(deps.config.union.zone).year,
        1,
        1,
        tzinfo=deps.config.union.zone,
    )
    async with deps.db.read() as session:
        stats = await care_stats(session, since=year_start)
    lines = [t(lang, "carestats_title", pending=stats.pending)]
    caps = deps.config.care.caps
    lines += [
        t(
            lang,
            "carestats_kind",
            kind=t(lang, f"care_kind_{k}"),
            visits=stats.visits[k],
            spent=stats.spent[k],
            cap=caps.get(k, 0),
        )
        for k in EVENT_KINDS
    ]
    lines += [t(lang, "stats_line", name=d, count=n) for d, n in stats.by_department.most_common()]
    await say(update, context, "\n".join(lines))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("lifeevent", on_lifeevent, role=Role.MEMBER),
        command("hardship", on_hardship, role=Role.MEMBER),
        command("carestats", on_carestats, role=Role.CADRE),
        legacy_button(
            r"^le:(kind|who|share|go):(\w{1,12})$",
            on_event_button,
            role=Role.MEMBER,
            where="private",
        ),
        legacy_button(
            r"^hd:(doc|go):(\w{1,6})$", on_hardship_button, role=Role.MEMBER, where="private"
        ),
        legacy_button(r"^cv:ok:(\d{1,12})$", on_approve_button, role=Role.ADMIN, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(EVENT_FLOW, Role.MEMBER, on_event_message, "cancel_done"),
        legacy(HARDSHIP_FLOW, Role.MEMBER, on_hardship_message, "cancel_done"),
        legacy(VISIT_FLOW, Role.CADRE, on_visit_message, "cancel_done"),
        legacy(APPROVE_FLOW, Role.ADMIN, on_approve_message, "cancel_done"),
    ]
