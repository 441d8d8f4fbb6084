"""Activities for members: /activities, and the 报名 / 取消报名 / 确认参加 / 签到 / 名单 buttons."""

from __future__ import annotations

from telegram import Chat, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.activities.posts import POST_KIND, button_rows, markup, post_text
from bot.activities.signups import check_in, eligible, join, leave, take
from bot.context import Ctx
from bot.roles import Role
from bot.strings import Lang, t
from handlers.core.guard import command, legacy_button
from handlers.core.replies import answer, edit, keyboard, say
from storage import activities, outbox
from storage.models import Activity


def buttons(activity: Activity, lang: Lang) -> InlineKeyboardMarkup:
    return keyboard(button_rows(activity, lang))


async def counts(context: Ctx, activity_id: int) -> tuple[int, int]:
    async with context.deps.db.read() as session:
        return await activities.places_taken(session, activity_id), await activities.count_in(
            session, activity_id, "waitlisted"
        )


async def on_activities(update: Update, context: Ctx) -> None:
    """Upcoming activities this member may join, each with its buttons."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.read() as session:
        found = [
            a
            for a in await activities.upcoming(session, now=deps.clock.now())
            if eligible(a, caller.member)
        ]
    if not found:
        await say(update, context, t(caller.lang, "act_none"))
        return
    for activity in found[:5]:
        assert activity.id is not None
        taken, waiting = await counts(context, activity.id)
        await say(
            update,
            context,
            post_text(activity, caller.lang, deps.config.union.zone, taken, waiting),
            buttons(activity, caller.lang),
        )


async def refresh_posts(context: Ctx, activity: Activity) -> None:
    """Queue the group posts' count edits (coalesced, within each group's edit budget)."""
    assert activity.id is not None
    deps = context.deps
    lang = deps.config.union.default_language
    taken, waiting = await counts(context, activity.id)
    text = post_text(activity, lang, deps.config.union.zone, taken, waiting)
    async with deps.db.begin() as session:
        for row in await outbox.for_ref(
            session, ref_id=activity.id, kinds=[POST_KIND], groups_only=True
        ):
            payload = {
                "target_key": row.key,
                "text": str(text),
                "markup": markup(activity, lang),
            }
            await outbox.schedule_edit(
                session,
                key=f"{row.key}:count",
                chat_id=row.chat_id,
                payload=payload,
                ref_id=activity.id,
                now=deps.clock.now(),
                min_interval=deps.live_count_interval,
            )
    deps.delivery.wake()


async def on_activity_button(update: Update, context: Ctx) -> None:
    """报名 / 取消报名 / 确认参加 / 签到 / 名单, in a group or in private."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, raw_id, *extra = query.data.split(":")
    activity_id = int(raw_id)
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    lang, now = caller.lang, deps.clock.now()
    async with deps.db.begin() as session:
        if action in ("join", "guest"):
            guests = int(extra[0]) if extra else 0
            result = await join(
                session, activity_id=activity_id, member=caller.member, now=now, guests=guests
            )
            key, position = f"act_join_{result.state}", result.position
        elif action == "leave":
            key, position = (
                "act_leave_"
                + await leave(
                    session,
                    activity_id=activity_id,
                    member=caller.member,
                    now=now,
                    config=deps.config,
                ),
                0,
            )
        elif action == "take":
            key, position = (
                "act_take_"
                + await take(session, activity_id=activity_id, member=caller.member, now=now),
                0,
            )
        elif action == "in":
            key, position = (
                "act_"
                + await check_in(session, activity_id=activity_id, member=caller.member, now=now),
                0,
            )
        else:
            key, position = "", 0
        activity = await activities.get(session, activity_id)
    if activity is None:
        await answer(update, context, t(lang, "button_expired"), alert=True)
        return
    if action == "list":
        await _show_list(update, context, activity)
        return
    await answer(
        update,
        context,
        t(lang, key, position=position, title=activity.title),
        alert=action == "take",
    )
    deps.delivery.wake()
    if action in ("join", "guest", "leave", "take"):
        await refresh_posts(context, activity)
        chat = update.effective_chat
        if chat is not None and chat.type == Chat.PRIVATE and action != "take":
            taken, waiting = await counts(context, activity_id)
            await edit(
                update,
                post_text(activity, lang, deps.config.union.zone, taken, waiting),
                buttons(activity, lang),
            )


async def _show_list(update: Update, context: Ctx, activity: Activity) -> None:
    """Who is going: only if the activity's list is public (never for a singles' social)."""
    lang = context.caller.lang
    if not activity.list_visible:
        await answer(update, context, t(lang, "act_list_hidden"), alert=True)
        return
    assert activity.id is not None
    async with context.deps.db.read() as session:
        going = await activities.signups(session, activity.id, states=("confirmed",))
    names = "、".join(member.name for _, member in going) or t(lang, "word_none")
    await answer(update, context, t(lang, "act_list", names=names)[:190], alert=True)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("activities", on_activities, role=Role.MEMBER),
        legacy_button(
            r"^ac:(join|leave|take|in|list):(\d{1,12})$", on_activity_button, role=Role.MEMBER
        ),
        legacy_button(r"^ac:guest:(\d{1,12}):([1-5])$", on_activity_button, role=Role.MEMBER),
    ]
