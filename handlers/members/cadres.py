"""/cadre: admins appoint and remove cadres (every change is kept in the role audit)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.members.cadres import appoint, cadres, dismiss, listing, role_of
from bot.members.callbacks import CadrePress
from bot.roles import Role
from bot.strings import normalise_lang, t
from handlers.core.guard import button, command
from handlers.core.menu import publish_for_user
from handlers.core.replies import answer, edit, say
from storage.models import Member
from storage.statuses import StoredRole

VERBS = {"add": StoredRole.CADRE, "remove": StoredRole.MEMBER}
DONE = {StoredRole.CADRE: "cadre_added", StoredRole.MEMBER: "cadre_removed"}


async def on_cadre(update: Update, context: Ctx) -> None:
    """/cadre lists cadres; /cadre add|remove @username|id changes one."""
    caller, deps = context.caller, context.deps
    args = context.args or []
    if not args:
        async with deps.db.read() as session:
            text, keyboard = listing(await cadres(session), caller.lang)
        await say(update, context, text + "\n\n" + t(caller.lang, "cadre_usage"), keyboard)
        return
    role = VERBS.get(args[0]) if len(args) == 2 else None
    if role is None:
        await say(update, context, t(caller.lang, "cadre_usage"))
        return
    async with deps.db.begin() as session:
        done = await appoint(
            session,
            handle=args[1],
            role=role,
            actor_telegram_id=caller.telegram_id,
            now=deps.clock.now(),
        )
    if done.member is None:
        await say(update, context, t(caller.lang, "cadre_not_found", handle=args[1]))
        return
    key = DONE[role] if done.changed else "cadre_unchanged"
    await say(update, context, t(caller.lang, key, name=done.member.name))
    if done.changed:
        deps.delivery.wake()
        await _publish(context, done.member)


async def on_remove_button(update: Update, context: Ctx, press: CadrePress) -> None:
    """Remove the cadre whose button the admin pressed (once, however many taps)."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        member = await dismiss(
            session,
            member_id=press.member_id,
            actor_telegram_id=caller.telegram_id,
            now=deps.clock.now(),
        )
        text, keyboard = listing(await cadres(session), caller.lang)
    if member is None:
        await answer(update, context, t(caller.lang, "cadre_not_a_cadre"), alert=True)
        return
    deps.delivery.wake()
    await edit(update, text, keyboard)
    await _publish(context, member)


async def _publish(context: Ctx, member: Member) -> None:
    """Give a new cadre their wider command menu, or take it back."""
    if member.telegram_id is None:
        return
    deps = context.deps
    lang = normalise_lang(member.language, deps.config.union.default_language)
    role = role_of(member, deps.admins)
    await publish_for_user(
        context.bot,
        telegram_id=member.telegram_id,
        role=role,
        lang=lang,
        console=context.deps.config.console,
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("cadre", on_cadre, role=Role.ADMIN),
        button(CadrePress, on_remove_button, role=Role.ADMIN, where="private"),
    ]
