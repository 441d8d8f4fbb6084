"""/scheduled: notices waiting to go out — change their time or text, or cancel them."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from pydantic import BaseModel
from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.attachments import Content
from bot.core.flow import Flow, FlowState, Rejected
from bot.core.keyboard import Button, Keyboard
from bot.core.states import Refused
from bot.notices import schedule
from bot.notices.callbacks import ScheduledAction, ScheduledPress
from bot.notices.form import accept_when
from bot.notices.form_view import ask_when
from bot.notices.receipts import summary_line
from bot.notices.states import NoticeAction
from bot.notices.views import waiting_notices
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.core import flow_state
from handlers.core.content import content_of
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say
from storage.models import Notice


class EditStep(IntEnum):
    TIME = 1
    TEXT = 2


class NoticeEdit(BaseModel):
    notice_id: int


EDIT_FLOW = Flow(
    "notice_edit", role=Role.CADRE, steps=EditStep, data=NoticeEdit, cancelled="cancel_notice_edit"
)


def _ask(step: EditStep, context: Ctx) -> Html:
    """The question for the new time or the new text."""
    lang, deps = context.caller.lang, context.deps
    if step == EditStep.TIME:
        return ask_when(lang, deps.clock.now(), deps.config.union.zone)
    return t(lang, "notice_ask_content")


def _actions(notice: Notice, lang: Lang) -> Keyboard:
    notice_id = notice.id or 0

    def press(action: ScheduledAction) -> ScheduledPress:
        return ScheduledPress(action=action, notice_id=notice_id)

    return Keyboard.of(
        [
            [
                Button(t(lang, "btn_change_time"), press(ScheduledAction.TIME)),
                Button(t(lang, "btn_change_text"), press(ScheduledAction.TEXT)),
            ],
            [Button(t(lang, "btn_cancel_notice"), press(ScheduledAction.CANCEL))],
        ]
    )


async def on_scheduled(update: Update, context: Ctx) -> None:
    """List scheduled notices with their actions."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        waiting = await waiting_notices(session)
    if not waiting:
        await say(update, context, t(lang, "scheduled_none"))
        return
    for notice in waiting:
        line = summary_line(notice, lang, deps.config.union.zone)
        await say(update, context, line, _actions(notice, lang))


async def on_scheduled_button(update: Update, context: Ctx, press: ScheduledPress) -> None:
    """Cancel a scheduled notice, or start changing its time or text."""
    caller, deps = context.caller, context.deps
    step = EditStep.TIME if press.action == ScheduledAction.TIME else EditStep.TEXT
    action = {
        ScheduledAction.TIME: NoticeAction.RESCHEDULE,
        ScheduledAction.TEXT: NoticeAction.REWRITE,
        ScheduledAction.CANCEL: NoticeAction.CANCEL,
    }[press.action]
    try:
        async with deps.db.begin() as session:
            if action == NoticeAction.CANCEL:
                await schedule.cancel(session, press.notice_id)
            else:
                await schedule.check_waiting(session, press.notice_id, action)
                await EDIT_FLOW.save(
                    session,
                    user_id=caller.telegram_id,
                    step=step,
                    data=NoticeEdit(notice_id=press.notice_id),
                    now=deps.clock.now(),
                )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    if action == NoticeAction.CANCEL:
        await edit(update, t(caller.lang, "scheduled_cancelled", id=press.notice_id))
        return
    await say(update, context, _ask(step, context) + "\n\n" + t(caller.lang, "cancel_hint_edit"))


async def on_edit_message(
    update: Update, context: Ctx, state: FlowState[EditStep, NoticeEdit]
) -> None:
    """The new time or text for a scheduled notice."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    change: datetime | Content | Rejected | None
    if state.step == EditStep.TIME:
        typed = message.text if message is not None else None
        change = accept_when(typed, now=deps.clock.now(), zone=deps.config.union.zone)
    else:
        change = content_of(message)
    if (
        change is None
        or isinstance(change, Rejected)
        or (isinstance(change, Content) and change.empty)
    ):
        key = change.key if isinstance(change, Rejected) else "notice_unsupported"
        await say(update, context, t(caller.lang, key) + "\n\n" + _ask(state.step, context))
        return
    try:
        async with deps.db.begin() as session:
            if isinstance(change, datetime):
                notice = await schedule.reschedule(session, state.data.notice_id, change)
            else:
                notice = await schedule.rewrite(session, state.data.notice_id, change)
            await EDIT_FLOW.end(session, user_id=caller.telegram_id)
    except Refused as refused:
        await flow_state.end(context, EDIT_FLOW)
        await say(update, context, t(caller.lang, refused.key))
        return
    line = summary_line(notice, caller.lang, deps.config.union.zone)
    await say(update, context, t(caller.lang, "scheduled_changed") + "\n" + line)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("scheduled", on_scheduled, role=Role.CADRE),
        button(ScheduledPress, on_scheduled_button, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(EDIT_FLOW, on_edit_message)]
