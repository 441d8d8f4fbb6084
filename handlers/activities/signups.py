"""Activities for members: /activities, and the 报名 / 报名+N位家属 / 取消报名 / 确认参加 / 签到 /
名单 buttons under a post (in a group or in private) and under an offer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Chat, Update
from telegram.ext import BaseHandler

from bot.activities import signups
from bot.activities.callbacks import GuestsPress, PostAction, PostPress
from bot.activities.posts import Live, member_view
from bot.activities.signups import Pressed
from bot.context import Ctx
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say
from storage.models import Member

LIST_TOAST = 190  # Telegram shows at most 200 characters in a press's answer


def live(context: Ctx) -> Live:
    deps = context.deps
    return Live(deps.config, deps.clock.now(), deps.live_count_interval)


async def on_activities(update: Update, context: Ctx) -> None:
    """Upcoming activities this member may join, each with its buttons."""
    caller, deps = context.caller, context.deps
    if caller.member is None:
        await say(update, context, t(caller.lang, "register_first"))
        return
    async with deps.db.read() as session:
        found = await signups.open_to(session, caller.member, now=deps.clock.now())
    if not found:
        await say(update, context, t(caller.lang, "act_none"))
        return
    now = deps.clock.now()
    for listed in found:
        text, keyboard = member_view(
            listed.activity,
            caller.lang,
            config=deps.config,
            now=now,
            counted=listed.counts,
            state=listed.state,
            position=listed.position,
        )
        await say(update, context, text, keyboard)


async def _member(update: Update, context: Ctx) -> Member | None:
    """The presser's member row (an admin from config may not have registered)."""
    caller = context.caller
    if caller.member is None:
        await answer(update, context, t(caller.lang, "register_first"), alert=True)
    return caller.member


async def _answer(
    update: Update, context: Ctx, pressed: Pressed, *, alert: bool = False, redraw: bool = False
) -> None:
    """Say what the press did; in private, the pressed message shows the new count."""
    caller, deps = context.caller, context.deps
    deps.delivery.wake()
    await answer(update, context, t(caller.lang, pressed.key, **pressed.params), alert=alert)
    chat = update.effective_chat
    if redraw and chat is not None and chat.type == Chat.PRIVATE:
        text, keyboard = member_view(
            pressed.activity,
            caller.lang,
            config=deps.config,
            now=deps.clock.now(),
            counted=pressed.counts,
            state=pressed.state,
            position=int(pressed.params.get("position", 0)),
        )
        await edit(update, text, keyboard)


async def _sign_up(update: Update, context: Ctx, activity_id: int, guests: int) -> None:
    if (member := await _member(update, context)) is None:
        return
    role, lang = context.caller.role, context.caller.lang
    try:
        async with context.deps.db.begin() as session:
            pressed = await signups.join(
                session,
                activity_id=activity_id,
                member=member,
                role=role,
                live=live(context),
                guests=guests,
            )
    except Refused as refused:
        await answer(update, context, t(lang, refused.key))
        return
    await _answer(update, context, pressed, redraw=True)


async def on_join(update: Update, context: Ctx, activity_id: int) -> None:
    """报名: a place, or the next place in the queue."""
    await _sign_up(update, context, activity_id, 0)


async def on_guests(update: Update, context: Ctx, press: GuestsPress) -> None:
    """报名+N位家属: the member and N family guests take N+1 places."""
    await _sign_up(update, context, press.activity_id, press.guests)


async def on_leave(update: Update, context: Ctx, activity_id: int) -> None:
    """取消报名: the place goes to the first in the queue."""
    if (member := await _member(update, context)) is None:
        return
    role, lang = context.caller.role, context.caller.lang
    try:
        async with context.deps.db.begin() as session:
            pressed = await signups.leave(
                session, activity_id=activity_id, member=member, role=role, live=live(context)
            )
    except Refused as refused:
        await answer(update, context, t(lang, refused.key))
        return
    await _answer(update, context, pressed, redraw=True)


async def on_take(update: Update, context: Ctx, activity_id: int) -> None:
    """确认参加: take the place offered from the waiting list."""
    if (member := await _member(update, context)) is None:
        return
    role, lang = context.caller.role, context.caller.lang
    try:
        async with context.deps.db.begin() as session:
            pressed = await signups.take(
                session, activity_id=activity_id, member=member, role=role, live=live(context)
            )
    except Refused as refused:
        await answer(update, context, t(lang, refused.key), alert=True)
        return
    await _answer(update, context, pressed, alert=True)


async def on_check_in(update: Update, context: Ctx, activity_id: int) -> None:
    """签到, in the window around the start."""
    if (member := await _member(update, context)) is None:
        return
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.begin() as session:
            pressed = await signups.check_in(
                session,
                activity_id=activity_id,
                member=member,
                role=caller.role,
                now=deps.clock.now(),
                config=deps.config,
            )
    except Refused as refused:
        minutes = deps.config.activities.check_in_minutes
        await answer(update, context, t(caller.lang, refused.key, minutes=minutes))
        return
    await _answer(update, context, pressed)


async def on_list(update: Update, context: Ctx, activity_id: int) -> None:
    """名单: who is going, only if the activity's list is public."""
    caller = context.caller
    try:
        async with context.deps.db.read() as session:
            names = await signups.going(session, activity_id=activity_id, role=caller.role)
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    people = [
        t(caller.lang, "act_list_guests", name=name, guests=guests) if guests else name
        for name, guests in names
    ]
    shown = "、".join(people) or t(caller.lang, "word_nobody")
    await answer(update, context, t(caller.lang, "act_list", names=shown)[:LIST_TOAST], alert=True)


JOBS: dict[PostAction, Callable[[Update, Ctx, int], Awaitable[None]]] = {
    PostAction.JOIN: on_join,
    PostAction.LEAVE: on_leave,
    PostAction.TAKE: on_take,
    PostAction.CHECK_IN: on_check_in,
    PostAction.LIST: on_list,
}


async def on_post_press(update: Update, context: Ctx, press: PostPress) -> None:
    """A press under a post or an offer: each action has its own handler."""
    await JOBS[press.action](update, context, press.activity_id)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("activities", on_activities, role=Role.MEMBER),
        button(PostPress, on_post_press, role=Role.MEMBER),
        button(GuestsPress, on_guests, role=Role.MEMBER),
    ]
