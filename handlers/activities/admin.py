"""Activities for cadres: /roster with check-in and exports, cancelling an activity (everyone
concerned is told once), and taking someone off the list with a reason on record."""

from __future__ import annotations

from typing import Any

from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.activities import manage, roster
from bot.activities.callbacks import AttendPress, CancelPress, ExportPress, RemovePress, RosterPress
from bot.activities.forms import REMOVE_SIGNUP, Removal, RemoveStep, give_reason
from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import t
from handlers.activities.compose import typed
from handlers.activities.signups import live
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say


async def on_roster(update: Update, context: Ctx) -> None:
    """/roster: upcoming activities; /roster N: who is going, queued, checked in."""
    caller, deps = context.caller, context.deps
    args = context.args or []
    if args and args[0].isdigit():
        await _show(update, context, int(args[0]))
        return
    async with deps.db.read() as session:
        found = await roster.upcoming(session, now=deps.clock.now())
    key = "roster_pick" if found else "act_none"
    await say(update, context, t(caller.lang, key), roster.picker(found, caller.lang))


async def _show(update: Update, context: Ctx, activity_id: int) -> None:
    caller = context.caller
    try:
        async with context.deps.db.read() as session:
            found = await roster.roster(session, activity_id, role=caller.role)
    except Refused as refused:
        await say(update, context, t(caller.lang, refused.key))
        return
    keyboard = roster.roster_keyboard(found, caller.lang, caller.role)
    await say(update, context, roster.roster_text(found, caller.lang), keyboard)


async def on_roster_press(update: Update, context: Ctx, press: RosterPress) -> None:
    """An activity picked from the /roster list."""
    await _show(update, context, press.activity_id)


async def on_export(update: Update, context: Ctx, press: ExportPress) -> None:
    """The roster as a CSV or XLSX file."""
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.read() as session:
            data, name = await roster.export(
                session,
                press.activity_id,
                press.file,
                zone=deps.config.union.zone,
                role=caller.role,
                lang=caller.lang,
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(chat.id, InputFile(data, filename=name))


async def on_attend(update: Update, context: Ctx, press: AttendPress) -> None:
    """A cadre checks someone in."""
    caller = context.caller
    try:
        async with context.deps.db.begin() as session:
            await manage.mark_present(
                session, press.activity_id, press.signup_id, role=caller.role, live=live(context)
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    await answer(update, context, t(caller.lang, "act_checked_in"))
    async with (
        context.deps.db.read() as session
    ):  # the roster pressed, redrawn: ✅, one less button
        found = await roster.roster(session, press.activity_id, role=caller.role)
    keyboard = roster.roster_keyboard(found, caller.lang, caller.role)
    await edit(update, roster.roster_text(found, caller.lang), keyboard)


async def on_cancel_activity(update: Update, context: Ctx, press: CancelPress) -> None:
    """Cancel the activity; everyone signed up or waiting is told (once, however many taps)."""
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.begin() as session:
            await manage.cancel(
                session,
                press.activity_id,
                actor=caller.telegram_id,
                role=caller.role,
                live=live(context),
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "act_cancelled_done", id=press.activity_id))


async def on_remove_press(update: Update, context: Ctx, press: RemovePress) -> None:
    """Start taking someone off the list: the reason is asked for."""
    caller, deps = context.caller, context.deps
    data = Removal(activity_id=press.activity_id, signup_id=press.signup_id)
    try:
        async with deps.db.begin() as session:
            await manage.removable(session, press.activity_id, press.signup_id, role=caller.role)
            await REMOVE_SIGNUP.save(
                session,
                user_id=caller.telegram_id,
                step=RemoveStep.REASON,
                data=data,
                now=deps.clock.now(),
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    await say(
        update,
        context,
        t(caller.lang, "act_remove_reason") + "\n\n" + t(caller.lang, "cancel_hint"),
    )


async def on_reason(update: Update, context: Ctx, state: FlowState[RemoveStep, Removal]) -> None:
    """The reason for taking someone off the list; the place goes to the queue."""
    caller, deps = context.caller, context.deps
    outcome = give_reason(state, typed(update))
    if isinstance(outcome, Rejected):
        await say(update, context, t(caller.lang, outcome.key))
        return
    removal = outcome.data
    try:
        async with deps.db.begin() as session:
            taken = await REMOVE_SIGNUP.take(session, user_id=caller.telegram_id, step=state.step)
            if taken is None:
                return  # a second message in flight: the first one took them off
            await manage.remove(
                session,
                removal.activity_id,
                removal.signup_id,
                reason=removal.reason,
                actor=caller.telegram_id,
                role=caller.role,
                live=live(context),
            )
    except Refused as refused:
        await flow_state.end(context, REMOVE_SIGNUP)
        await say(update, context, t(caller.lang, refused.key))
        return
    deps.delivery.wake()
    await say(update, context, t(caller.lang, "act_removed"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("roster", on_roster, role=Role.CADRE),
        button(RosterPress, on_roster_press, role=Role.CADRE, where="private"),
        button(ExportPress, on_export, role=Role.CADRE, where="private"),
        button(AttendPress, on_attend, role=Role.CADRE, where="private"),
        button(CancelPress, on_cancel_activity, role=Role.CADRE, where="private"),
        button(RemovePress, on_remove_press, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(REMOVE_SIGNUP, on_reason)]
