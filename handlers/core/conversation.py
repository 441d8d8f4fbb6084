"""Free messages in private chat go to the conversation the user is in (or, outside one, are
a member's rights question); /cancel leaves it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, filters

from bot.context import Ctx
from bot.roles import Role
from bot.strings import t
from handlers.activities import admin as activity_admin
from handlers.care import life_events as care
from handlers.cases import desk as casedesk
from handlers.cases import report
from handlers.core.guard import command, message, refusal_key
from handlers.core.replies import say
from handlers.members import registration
from handlers.notices import compose as notice_compose
from handlers.notices import scheduled_notices as scheduled
from handlers.rights import kb_admin
from handlers.rights import questions as rights
from handlers.votes import ballots as votes
from storage import dialogs
from storage.models import Dialog

FlowHandler = Callable[[Update, Ctx, Dialog], Coroutine[Any, Any, None]]
# Each conversation, who may be in it, and what handles its messages. The role is checked
# again here: a cadre removed mid-conversation must not finish a cadre's action.
FLOWS: dict[str, tuple[Role, FlowHandler]] = {
    registration.REGISTER: (Role.GUEST, registration.on_form_message),
    registration.EDIT: (Role.MEMBER, registration.on_form_message),
    notice_compose.FLOW: (Role.CADRE, notice_compose.on_notice_message),
    scheduled.FLOW: (Role.CADRE, scheduled.on_edit_message),
    report.FLOW: (Role.MEMBER, report.on_report_message),
    report.ADD_FLOW: (Role.MEMBER, report.on_add_message),
    casedesk.FLOW: (Role.CADRE, casedesk.on_desk_message),
    activity_admin.NEW_FLOW: (Role.CADRE, activity_admin.on_form_message),
    activity_admin.EDIT_FLOW: (Role.CADRE, activity_admin.on_form_message),
    activity_admin.REMOVE_FLOW: (Role.CADRE, activity_admin.on_remove_message),
    votes.FLOW: (Role.CADRE, votes.on_vote_form),
    care.EVENT_FLOW: (Role.MEMBER, care.on_event_message),
    care.HARDSHIP_FLOW: (Role.MEMBER, care.on_hardship_message),
    care.VISIT_FLOW: (Role.CADRE, care.on_visit_message),
    care.APPROVE_FLOW: (Role.ADMIN, care.on_approve_message),
    rights.ASK_FLOW: (Role.MEMBER, rights.on_ask_message),
    rights.HANDOFF_FLOW: (Role.MEMBER, rights.on_handoff_message),
    kb_admin.EDIT_FLOW: (Role.CADRE, kb_admin.on_form_message),
}


async def on_private_message(update: Update, context: Ctx) -> None:
    """Route a message to the caller's conversation, or say what they can do."""
    caller = context.caller
    async with context.deps.db.read() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
    flow = FLOWS.get(dialog.flow) if dialog is not None else None
    if dialog is None or flow is None:
        message = update.effective_message
        if caller.role >= Role.MEMBER and message is not None and message.text:
            # No conversation going on: a member writing to the bot is asking a question.
            await rights.answer_question(update, context, message.text)
            return
        key = "register_first" if caller.role == Role.GUEST else "idle_hint"
        await say(update, context, t(caller.lang, key))
        return
    needed, handle = flow
    if caller.role < needed:
        async with context.deps.db.begin() as session:
            await dialogs.clear(session, user_id=caller.telegram_id)
        await say(update, context, t(caller.lang, refusal_key(needed, caller)))
        return
    await handle(update, context, dialog)


async def on_cancel(update: Update, context: Ctx) -> None:
    """Leave whatever conversation the caller is in."""
    caller = context.caller
    async with context.deps.db.begin() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
        if dialog is not None:
            await dialogs.clear(session, user_id=caller.telegram_id)
    if dialog is None:
        key = "cancel_nothing"
    elif dialog.flow == registration.REGISTER:
        key = "cancel_registration"
    else:
        key = "cancel_done"
    await say(update, context, t(caller.lang, key))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    private_free = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    return [
        command("cancel", on_cancel, role=Role.GUEST),
        message(private_free, on_private_message, role=Role.GUEST, where="private"),
    ]
