"""Activities for cadres: /newactivity from a filled-in template (previewed, then created and
posted once), and changing an activity's details (everyone concerned is told of a new time
or place)."""

from __future__ import annotations

import html
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.activities import manage
from bot.activities.callbacks import EditPress, NewActivityChoice, NewActivityPress
from bot.activities.forms import (
    EDIT_ACTIVITY,
    NEW_ACTIVITY,
    ActivityEdit,
    EditStep,
    NewActivity,
    NewStep,
    give_new_details,
    give_template,
)
from bot.activities.posts import preview
from bot.activities.template import filled
from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.core.keyboard import Button, Keyboard
from bot.core.states import Refused
from bot.core.template import template_text
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.activities.signups import live
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say


def _template(context: Ctx) -> Html:
    now, zone = context.deps.clock.now(), context.deps.config.union.zone
    return template_text("act_template", context.caller.lang, now=now, zone=zone)


def typed(update: Update) -> str | None:
    message = update.effective_message
    return message.text if message is not None else None


async def _form_problem(
    update: Update, context: Ctx, problem: Rejected, *, again: Html | None = None
) -> None:
    """What is wrong with the template, and the template again (or what to edit again)."""
    lang = context.caller.lang
    text = t(lang, problem.key, **problem.params) + "\n\n" + (again or _template(context))
    await say(update, context, text)


def _current(lang: Lang, activity_id: int, current: str) -> Html:
    """The activity as it is, as a template to edit: only changed lines need sending."""
    block = "<code>" + html.escape(current, quote=False) + "</code>"
    return Html(t(lang, "act_edit_prompt", id=activity_id) + "\n" + block)


async def on_newactivity(update: Update, context: Ctx) -> None:
    """Send the template to fill in."""
    lang = context.caller.lang
    await flow_state.save(context, NEW_ACTIVITY, NewStep.TEMPLATE, NewActivity())
    await say(update, context, _template(context) + "\n\n" + t(lang, "cancel_hint"))


def _create_keyboard(lang: Lang) -> Keyboard:
    return Keyboard.of(
        [
            [
                Button(t(lang, "btn_act_create_post"), NewActivityPress(NewActivityChoice.POST)),
                Button(t(lang, "btn_act_create"), NewActivityPress(NewActivityChoice.CREATE)),
            ],
            [Button(t(lang, "btn_notice_cancel"), NewActivityPress(NewActivityChoice.DROP))],
        ]
    )


async def on_template(update: Update, context: Ctx, state: FlowState[NewStep, NewActivity]) -> None:
    """The filled-in template: the preview of the post, with post / create / drop."""
    caller, deps = context.caller, context.deps
    union = deps.config.union
    outcome = give_template(
        state, typed(update), now=deps.clock.now(), zone=union.zone, departments=union.departments
    )
    if isinstance(outcome, Rejected):
        await _form_problem(update, context, outcome)
        return
    await flow_state.save(context, NEW_ACTIVITY, outcome.step, outcome.data)
    assert outcome.data.draft is not None
    text = preview(outcome.data.draft, caller.lang, union.zone)
    await say(update, context, text, _create_keyboard(caller.lang))


async def on_create(update: Update, context: Ctx, press: NewActivityPress) -> None:
    """Create the activity (and post it to the bound groups), or drop it."""
    caller, deps = context.caller, context.deps
    if press.choice == NewActivityChoice.DROP:
        if await flow_state.at(update, context, NEW_ACTIVITY, NewStep.CONFIRM):
            await flow_state.end(context, NEW_ACTIVITY)
            await edit(update, t(caller.lang, "act_dropped"))
        return
    async with deps.db.begin() as session:
        # Taken once: a second press in flight finds the form gone and creates nothing.
        state = await NEW_ACTIVITY.take(session, user_id=caller.telegram_id, step=NewStep.CONFIRM)
        activity = None
        if state is not None and state.data.draft is not None:
            activity = await manage.create(
                session,
                state.data.draft,
                author=caller.telegram_id,
                to_groups=press.choice == NewActivityChoice.POST,
                role=caller.role,
                live=live(context),
            )
    if activity is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "act_created", id=activity.id or 0, title=activity.title))


async def on_edit_press(update: Update, context: Ctx, press: EditPress) -> None:
    """Start changing an activity's details: the template again."""
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.begin() as session:
            activity = await manage.editable(session, press.activity_id, role=caller.role)
            now = deps.clock.now()
            current = filled(activity, deps.config.union.zone, now=now)
            closed_at = activity.deadline if activity.deadline <= now else None
            await EDIT_ACTIVITY.save(
                session,
                user_id=caller.telegram_id,
                step=EditStep.TEMPLATE,
                data=ActivityEdit(
                    activity_id=press.activity_id, current=current, closed_at=closed_at
                ),
                now=now,
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    lang = caller.lang
    prompt = _current(lang, press.activity_id, current)
    await say(update, context, prompt + "\n\n" + t(lang, "cancel_hint"))


async def on_new_details(
    update: Update, context: Ctx, state: FlowState[EditStep, ActivityEdit]
) -> None:
    """The activity's new details; a changed time or place is told to everyone concerned."""
    caller, deps = context.caller, context.deps
    union = deps.config.union
    outcome = give_new_details(
        state, typed(update), now=deps.clock.now(), zone=union.zone, departments=union.departments
    )
    if isinstance(outcome, Rejected):
        again = _current(caller.lang, state.data.activity_id, state.data.current)
        await _form_problem(update, context, outcome, again=again)
        return
    draft, activity_id = outcome.data.draft, outcome.data.activity_id
    assert draft is not None
    try:
        async with deps.db.begin() as session:
            taken = await EDIT_ACTIVITY.take(session, user_id=caller.telegram_id, step=state.step)
            if taken is None:
                return  # a second message in flight: the first one made the change
            await manage.edit(
                session,
                activity_id,
                draft,
                actor=caller.telegram_id,
                role=caller.role,
                live=live(context),
            )
    except Refused as refused:
        await flow_state.end(context, EDIT_ACTIVITY)
        await say(update, context, t(caller.lang, refused.key))
        return
    deps.delivery.wake()
    await say(update, context, t(caller.lang, "act_edited", id=activity_id))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("newactivity", on_newactivity, role=Role.CADRE),
        button(NewActivityPress, on_create, role=Role.CADRE, where="private"),
        button(EditPress, on_edit_press, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(NEW_ACTIVITY, on_template), FlowHandler(EDIT_ACTIVITY, on_new_details)]
