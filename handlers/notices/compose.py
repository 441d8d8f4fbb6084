"""/notice: a cadre composes a notice, sees exactly what members will see, and sends it."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.flow import Rejected
from bot.jobs import minute_tick
from bot.notices import form
from bot.notices.audience import reach
from bot.notices.callbacks import (
    AckChoice,
    DepartmentPress,
    DepartmentsDone,
    Finish,
    FinishPress,
    PinChoice,
    PreviewAck,
    SendNow,
    TargetPress,
)
from bot.notices.form import NOTICE_FORM, NoticeDraft, NoticeStep, Outcome, State
from bot.notices.form_view import confirm_keyboard, preview, question, summary
from bot.notices.schedule import RELEASE_TASK, as_notice, create
from bot.roles import Role
from bot.strings import t
from handlers.core import flow_state
from handlers.core.content import content_of
from handlers.core.flow_state import at
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say, say_parts


async def on_notice(update: Update, context: Ctx) -> None:
    """Start composing a notice."""
    lang = context.caller.lang
    await flow_state.save(context, NOTICE_FORM, NoticeStep.CONTENT, NoticeDraft())
    await say(update, context, t(lang, "notice_ask_content") + "\n\n" + t(lang, "cancel_hint"))


async def on_notice_message(update: Update, context: Ctx, state: State) -> None:
    """Typed input while composing: the content, or a date and time to send at."""
    deps = context.deps
    if state.step == NoticeStep.WHEN:
        message = update.effective_message
        typed = message.text if message is not None else None
        outcome = form.give_time(state, typed, now=deps.clock.now(), zone=deps.config.union.zone)
    else:
        outcome = form.give_content(state, content_of(update.effective_message))
    await _advance(update, context, state, outcome, typed=True)


async def on_target(update: Update, context: Ctx, press: TargetPress) -> None:
    """Who the notice is for."""
    if state := await at(update, context, NOTICE_FORM, NoticeStep.TARGET):
        await _advance(update, context, state, form.choose_target(state, press.target, press.scope))


async def on_department(update: Update, context: Ctx, press: DepartmentPress) -> None:
    """Tick or untick a department; the same question is redrawn in place."""
    departments = context.deps.config.union.departments
    if state := await at(update, context, NOTICE_FORM, NoticeStep.DEPARTMENTS):
        await _advance(
            update, context, state, form.toggle_department(state, press.index, departments)
        )


async def on_departments_done(update: Update, context: Ctx, _: DepartmentsDone) -> None:
    if state := await at(update, context, NOTICE_FORM, NoticeStep.DEPARTMENTS):
        await _advance(update, context, state, form.departments_done(state))


async def on_ack_choice(update: Update, context: Ctx, press: AckChoice) -> None:
    if state := await at(update, context, NOTICE_FORM, NoticeStep.ACK):
        await _advance(update, context, state, form.choose_ack(state, press.required))


async def on_pin_choice(update: Update, context: Ctx, press: PinChoice) -> None:
    if state := await at(update, context, NOTICE_FORM, NoticeStep.PIN):
        await _advance(update, context, state, form.choose_pin(state, press.pin))


async def on_send_now(update: Update, context: Ctx, _: SendNow) -> None:
    if state := await at(update, context, NOTICE_FORM, NoticeStep.WHEN):
        await _advance(update, context, state, form.send_now(state))


async def _advance(
    update: Update, context: Ctx, state: State, outcome: Outcome, *, typed: bool = False
) -> None:
    """Say what the outcome means: the next question, the same one redrawn, or the reason."""
    caller, deps = context.caller, context.deps
    departments = deps.config.union.departments
    now, zone = deps.clock.now(), deps.config.union.zone
    if isinstance(outcome, Rejected):
        hint = t(caller.lang, outcome.key, **outcome.params)
        if not typed:
            await answer(update, context, hint, alert=True)
        elif state.step in (NoticeStep.CONTENT, NoticeStep.WHEN):
            text, keyboard = question(
                state.step, caller.lang, state.data, departments, now=now, zone=zone
            )
            await say(update, context, f"{hint}\n\n{text}", keyboard)
        else:
            await say(update, context, hint)
        return
    await flow_state.save(context, NOTICE_FORM, outcome.step, outcome.data)
    if outcome.step == NoticeStep.PREVIEW:
        await _preview(update, context, outcome.data)
        return
    text, keyboard = question(
        outcome.step, caller.lang, outcome.data, departments, now=now, zone=zone
    )
    if outcome.step == state.step:  # a department toggled
        await edit(update, text, keyboard)
    else:
        await say(update, context, text, keyboard)


async def _preview(update: Update, context: Ctx, draft: NoticeDraft) -> None:
    """Send the cadre exactly what members will see, then the reach and the send button."""
    caller, deps = context.caller, context.deps
    union = deps.config.union
    notice = as_notice(draft, author=caller.telegram_id, now=deps.clock.now())
    async with deps.db.read() as session:
        found = await reach(
            session, notice, private_when_no_group=deps.notice_policy.private_when_no_group
        )
    parts, keyboard = preview(
        notice, found, caller.lang, union=union.name, group_lang=union.default_language
    )
    await say(update, context, t(caller.lang, "notice_preview_intro"))
    await say_parts(update, context, parts, keyboard)
    text = summary(draft, caller.lang, found, union.zone)
    await say(update, context, text, confirm_keyboard(caller.lang, found))


async def on_finish(update: Update, context: Ctx, press: FinishPress) -> None:
    """Send (or schedule) the notice, start again, or drop it."""
    caller, deps = context.caller, context.deps
    if press.action == Finish.REDO:
        await flow_state.save(context, NOTICE_FORM, NoticeStep.CONTENT, NoticeDraft())
        await edit(update, t(caller.lang, "notice_redo"))
        await say(update, context, t(caller.lang, "notice_ask_content"))
        return
    if press.action == Finish.CANCEL:
        await flow_state.end(context, NOTICE_FORM)
        await edit(update, t(caller.lang, "notice_cancelled"))
        return
    async with deps.db.begin() as session:
        # Taken once: a second press in flight finds the form gone and sends nothing.
        state = await NOTICE_FORM.take(session, user_id=caller.telegram_id, step=NoticeStep.PREVIEW)
        notice = (
            await create(session, state.data, author=caller.telegram_id, now=deps.clock.now())
            if state is not None
            else None
        )
    if notice is None or state is None:
        await answer(update, context, t(caller.lang, "button_expired"))
        return
    if state.data.when is not None:
        local = notice.scheduled_at.astimezone(deps.config.union.zone).strftime("%Y-%m-%d %H:%M")
        await edit(update, t(caller.lang, "notice_scheduled", id=notice.id or 0, when=local))
        return
    await edit(update, t(caller.lang, "notice_sending", id=notice.id or 0))
    # Releasing fans out to every recipient: do it off the update path, as the minute tick does.
    context.application.create_task(minute_tick(deps), update=update, name=RELEASE_TASK)


async def on_preview_ack(update: Update, context: Ctx, _: PreviewAck) -> None:
    """The 「收到」 button in a preview does nothing but say so."""
    await answer(update, context, t(context.caller.lang, "notice_preview_button"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("notice", on_notice, role=Role.CADRE),
        button(TargetPress, on_target, role=Role.CADRE, where="private"),
        button(DepartmentPress, on_department, role=Role.CADRE, where="private"),
        button(DepartmentsDone, on_departments_done, role=Role.CADRE, where="private"),
        button(AckChoice, on_ack_choice, role=Role.CADRE, where="private"),
        button(PinChoice, on_pin_choice, role=Role.CADRE, where="private"),
        button(SendNow, on_send_now, role=Role.CADRE, where="private"),
        button(FinishPress, on_finish, role=Role.CADRE, where="private"),
        button(PreviewAck, on_preview_ack, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(NOTICE_FORM, on_notice_message)]
