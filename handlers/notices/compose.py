"""/notice: a cadre composes a notice, sees exactly what members will see, and sends it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.delivery.telegram_transport import TelegramTransport
from bot.jobs import minute_tick
from bot.notices.form import Accepted, NoticeStep, Rejected, accept_choice, accept_when, after
from bot.notices.service import ack_markup, as_target, build_parts, reach
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, edit, say
from handlers.notices.compose_view import confirm_keyboard, question, summary
from storage import dialogs, notices
from storage.models import Dialog, Notice

FLOW = "notice"
RELEASE_TASK = "notice-release"
MAX_TEXT = 4096


def content_of(message: Message | None) -> dict[str, Any] | None:
    """The notice content of a message, HTML formatting kept; None if it has none we accept."""
    if message is None:
        return None
    if message.photo:
        return {
            "text": message.caption_html or "",
            "attachment": {"kind": "photo", "file_id": message.photo[-1].file_id},
        }
    if message.document:
        attachment = {
            "kind": "document",
            "file_id": message.document.file_id,
            "name": message.document.file_name or "",
        }
        return {"text": message.caption_html or "", "attachment": attachment}
    if message.text:
        return {"text": message.text_html, "attachment": None}
    return None


def notice_fields(data: dict[str, Any], author: int, now: datetime) -> dict[str, Any]:
    """The notice the form describes, as Notice columns."""
    when = data.get("when")
    return {
        "author_telegram_id": author,
        "text": data.get("text", ""),
        "attachment": data.get("attachment"),
        "target": data.get("target", "groups"),
        "departments": data.get("departments"),
        "require_ack": bool(data.get("ack")),
        "pin": bool(data.get("pin")),
        "scheduled_at": datetime.fromisoformat(when) if when else now,
        "created_at": now,
    }


async def _save(context: Ctx, step: NoticeStep, data: dict[str, Any]) -> None:
    """Keep the form where the cadre is (a restart or another instance resumes it)."""
    deps = context.deps
    async with deps.db.begin() as session:
        await dialogs.put(session, user_id=context.caller.telegram_id, flow=FLOW, step=step,
                          data=data, now=deps.clock.now())  # fmt: skip


async def on_notice(update: Update, context: Ctx) -> None:
    """Start composing a notice."""
    caller, deps = context.caller, context.deps
    await _save(context, NoticeStep.CONTENT, {})
    text, _ = question(NoticeStep.CONTENT, caller.lang, {}, deps.config.union.departments)
    await say(update, context, text + "\n\n" + t(caller.lang, "cancel_hint"))


async def on_notice_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """Typed input while composing: the content, or a date and time to send at."""
    step, data = NoticeStep(dialog.step), dict(dialog.data)
    deps = context.deps
    outcome: Accepted | Rejected
    if step == NoticeStep.CONTENT:
        content = content_of(update.effective_message)
        if content is None:
            outcome = Rejected("notice_unsupported")
        elif not content["text"].strip() and content["attachment"] is None:
            outcome = Rejected("notice_empty")
        else:
            outcome = Accepted(content, after(step, data))
    elif step == NoticeStep.WHEN:
        message = update.effective_message
        typed = message.text if message is not None else None
        outcome = (
            Rejected("when_bad_format")
            if typed is None
            else accept_when(typed, now=deps.clock.now(), zone=deps.config.union.zone)
        )
    else:
        outcome = Rejected("use_buttons")
    await _advance(update, context, step, data, outcome)


async def on_notice_button(update: Update, context: Ctx) -> None:
    """A button of the form: target, departments, confirmation, pin, send now."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, value = query.data.split(":")
    caller, deps = context.caller, context.deps
    async with deps.db.read() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
    if dialog is None or dialog.flow != FLOW:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    step, data = NoticeStep(dialog.step), dict(dialog.data)
    if kind == "go":
        await _finish(update, context, dialog, value)
        return
    outcome = accept_choice(step, kind, value, data, departments=deps.config.union.departments)
    if isinstance(outcome, Rejected) and outcome.key == "button_expired":
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    if isinstance(outcome, Rejected):
        await answer(update, context, t(caller.lang, outcome.key), alert=True)
        return
    if outcome.step == step:  # a department toggled: redraw the same question in place
        data.update(outcome.updates)
        await _save(context, step, data)
        text, markup = question(step, caller.lang, data, deps.config.union.departments)
        await edit(update, text, markup)
        return
    await _advance(update, context, step, data, outcome)


async def _advance(
    update: Update,
    context: Ctx,
    step: NoticeStep,
    data: dict[str, Any],
    outcome: Accepted | Rejected,
) -> None:
    caller, deps = context.caller, context.deps
    departments = deps.config.union.departments
    if isinstance(outcome, Rejected):
        hint = t(caller.lang, outcome.key, **outcome.params)
        if step in (NoticeStep.CONTENT, NoticeStep.WHEN):
            text, markup = question(step, caller.lang, data, departments)
            await say(update, context, f"{hint}\n\n{text}", markup)
        else:
            await say(update, context, hint)
        return
    data.update(outcome.updates)
    await _save(context, outcome.step, data)
    if outcome.step == NoticeStep.PREVIEW:
        await _preview(update, context, data)
    else:
        text, markup = question(outcome.step, caller.lang, data, departments)
        await say(update, context, text, markup)


async def _preview(update: Update, context: Ctx, data: dict[str, Any]) -> None:
    """Send the cadre exactly what members will see, then the reach and the send button."""
    caller, deps = context.caller, context.deps
    union = deps.config.union
    draft = Notice(id=0, **notice_fields(data, caller.telegram_id, deps.clock.now()))
    async with deps.db.read() as session:
        found = await reach(
            session,
            target=as_target(draft.target),
            departments=draft.departments,
        )
    # The group copy when there is one (it carries the live count), else the private copy.
    footer, lang = "", caller.lang
    if found.groups:
        lang = union.default_language
        department = found.groups[0].department
        total = sum(1 for member in found.audience if member.department == department)
        if draft.require_ack:
            footer = t(lang, "ack_count", confirmed=0, total=total)
    parts = build_parts(draft, lang, union=union.name, footer=footer)
    await say(update, context, t(caller.lang, "notice_preview_intro"))
    transport = TelegramTransport(context.bot)
    chat = update.effective_chat
    assert chat is not None
    for index, part in enumerate(parts):
        markup = None
        if draft.require_ack and index == len(parts) - 1:
            markup = ack_markup(0, lang)
            markup["inline_keyboard"][0][0]["callback_data"] = "nt:noop:0"
        await transport.send(chat.id, part, markup)
    text = summary(
        data,
        caller.lang,
        groups=len(found.groups),
        members=len(found.members),
        audience=len(found.audience),
        zone=union.zone,
    )
    await say(update, context, text, confirm_keyboard(caller.lang))


async def _finish(update: Update, context: Ctx, dialog: Dialog, action: str) -> None:
    caller, deps = context.caller, context.deps
    if action == "redo":
        await _save(context, NoticeStep.CONTENT, {})
        await edit(update, t(caller.lang, "notice_redo"))
        await say(update, context, question(NoticeStep.CONTENT, caller.lang, {}, [])[0])
        return
    if action == "cancel":
        async with deps.db.begin() as session:
            await dialogs.clear(session, user_id=caller.telegram_id)
        await edit(update, t(caller.lang, "notice_cancelled"))
        return
    if dialog.step != NoticeStep.PREVIEW:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    data = dict(dialog.data)
    async with deps.db.begin() as session:
        fields = notice_fields(data, caller.telegram_id, deps.clock.now())
        notice = await notices.add(session, status=notices.SCHEDULED, **fields)
        await dialogs.clear(session, user_id=caller.telegram_id)
    if data.get("when"):
        local = notice.scheduled_at.astimezone(deps.config.union.zone).strftime("%Y-%m-%d %H:%M")
        await edit(update, t(caller.lang, "notice_scheduled", id=notice.id or 0, when=local))
        return
    await edit(update, t(caller.lang, "notice_sending", id=notice.id or 0))
    # Releasing fans out to every recipient: do it off the update path, as the minute tick does.
    context.application.create_task(minute_tick(deps), update=update, name=RELEASE_TASK)


async def on_noop(update: Update, context: Ctx) -> None:
    """The 「收到」 button in a preview does nothing but say so."""
    await answer(update, context, t(context.caller.lang, "notice_preview_button"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("notice", on_notice, role=Role.CADRE),
        legacy_button(
            r"^nt:(tg|dp|ack|pin|when|go):(\w{1,12})$",
            on_notice_button,
            role=Role.CADRE,
            where="private",
        ),
        legacy_button(r"^nt:noop:0$", on_noop, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(FLOW, Role.CADRE, on_notice_message, "cancel_done"),
    ]
