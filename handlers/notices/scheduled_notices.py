"""/scheduled: notices waiting to go out — change their time or text, or cancel them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.notices.form import Accepted, accept_when
from bot.notices.service import summary_line
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, edit, keyboard, say
from handlers.notices.compose import content_of
from storage import dialogs, notices
from storage.models import Dialog

FLOW = "notice_edit"


async def on_scheduled(update: Update, context: Ctx) -> None:
    """List scheduled notices with their actions."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        waiting = await notices.scheduled(session)
    if not waiting:
        await say(update, context, t(lang, "scheduled_none"))
        return
    for notice in waiting:
        rows = [
            [
                (t(lang, "btn_change_time"), f"sch:time:{notice.id}"),
                (t(lang, "btn_change_text"), f"sch:text:{notice.id}"),
            ],
            [(t(lang, "btn_cancel_notice"), f"sch:cancel:{notice.id}")],
        ]
        await say(
            update, context, summary_line(notice, lang, deps.config.union.zone), keyboard(rows)
        )


async def on_scheduled_button(update: Update, context: Ctx) -> None:
    """Cancel a scheduled notice, or start changing its time or text."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, raw_id = query.data.split(":")
    notice_id = int(raw_id)
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        notice = await notices.get(session, notice_id)
        still_waiting = notice is not None and notice.status == notices.SCHEDULED
        if still_waiting and action == "cancel":
            await notices.take_if(
                session, notice_id, expected=notices.SCHEDULED, new=notices.CANCELLED
            )
        elif still_waiting:
            await dialogs.put(
                session,
                user_id=caller.telegram_id,
                flow=FLOW,
                step=0,
                data={"notice_id": notice_id, "field": action},
                now=deps.clock.now(),
            )
    if not still_waiting:
        await answer(update, context, t(caller.lang, "scheduled_gone"), alert=True)
        return
    if action == "cancel":
        await edit(update, t(caller.lang, "scheduled_cancelled", id=notice_id))
        return
    key = "notice_ask_when" if action == "time" else "notice_ask_content"
    await say(update, context, t(caller.lang, key) + "\n\n" + t(caller.lang, "cancel_hint"))


async def on_edit_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The new time or text for a scheduled notice."""
    caller, deps = context.caller, context.deps
    notice_id, field = int(dialog.data["notice_id"]), dialog.data["field"]
    message = update.effective_message
    changes: dict[str, object]
    if field == "time":
        outcome = accept_when(
            message.text or "" if message else "", now=deps.clock.now(), zone=deps.config.union.zone
        )
        if not isinstance(outcome, Accepted):
            await say(
                update,
                context,
                t(caller.lang, outcome.key) + "\n\n" + t(caller.lang, "notice_ask_when"),
            )
            return
        changes = {"scheduled_at": datetime.fromisoformat(outcome.updates["when"])}
    else:
        content = content_of(message)
        if content is None or (not content["text"].strip() and content["attachment"] is None):
            await say(update, context, t(caller.lang, "notice_unsupported"))
            return
        changes = {"text": content["text"], "attachment": content["attachment"]}
    async with deps.db.begin() as session:
        notice = await notices.get(session, notice_id)
        await dialogs.clear(session, user_id=caller.telegram_id)
        if notice is not None and notice.status == notices.SCHEDULED:
            for name, value in changes.items():
                setattr(notice, name, value)
            session.add(notice)
            saved = True
        else:
            saved = False
    if not saved or notice is None:
        await say(update, context, t(caller.lang, "scheduled_gone"))
        return
    await say(
        update,
        context,
        t(caller.lang, "scheduled_changed")
        + "\n"
        + summary_line(notice, caller.lang, deps.config.union.zone),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("scheduled", on_scheduled, role=Role.CADRE),
        legacy_button(
            r"^sch:(time|text|cancel):(\d{1,12})$",
            on_scheduled_button,
            role=Role.CADRE,
            where="private",
        ),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(FLOW, Role.CADRE, on_edit_message, "cancel_done"),
    ]
