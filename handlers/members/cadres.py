"""/cadre: admins appoint and remove cadres (every change is kept in the role audit)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.roles import Role
from bot.strings import Html, Lang, normalise_lang, t
from handlers.core.guard import command, legacy_button
from handlers.core.menu import publish_for_user
from handlers.core.replies import edit, keyboard, say
from storage import members
from storage.models import Member
from storage.statuses import StoredRole


def _listing(cadres: list[Member], lang: Lang) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not cadres:
        return t(lang, "cadre_none"), None
    lines = [t(lang, "cadre_line", name=m.name, department=m.department) for m in cadres]
    rows = [[(t(lang, "btn_cadre_remove", name=m.name), f"cadre:rm:{m.id}")] for m in cadres]
    return Html(t(lang, "cadre_list") + "\n" + "\n".join(lines)), keyboard(rows)


async def on_cadre(update: Update, context: Ctx) -> None:
    """/cadre lists cadres; /cadre add|remove @username|id changes one."""
    caller, deps = context.caller, context.deps
    args = context.args or []
    if not args:
        async with deps.db.read() as session:
            cadres = await members.with_role(session, roles=["cadre"])
        text, markup = _listing(cadres, caller.lang)
        await say(update, context, text + "\n\n" + t(caller.lang, "cadre_usage"), markup)
        return
    if len(args) != 2 or args[0] not in ("add", "remove"):
        await say(update, context, t(caller.lang, "cadre_usage"))
        return
    role = StoredRole.CADRE if args[0] == "add" else StoredRole.MEMBER
    async with deps.db.begin() as session:
        member = await members.find_by_handle(session, handle=args[1])
        if member is not None and member.registered_at is not None and member.role != role:
            await members.set_role(
                session,
                member,
                role=role,
                actor_telegram_id=caller.telegram_id,
                now=deps.clock.now(),
            )
            changed = True
        else:
            changed = False
    if member is None or member.registered_at is None:
        await say(update, context, t(caller.lang, "cadre_not_found", handle=args[1]))
        return
    key = (
        ("cadre_added" if role == StoredRole.CADRE else "cadre_removed")
        if changed
        else "cadre_unchanged"
    )
    await say(update, context, t(caller.lang, key, name=member.name))
    if changed:
        await _publish(context, member)


async def on_remove_button(update: Update, context: Ctx) -> None:
    """Remove the cadre whose button the admin pressed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        member = await members.get(session, int(query.data.rsplit(":", 1)[1]))
        if member is not None and member.role == StoredRole.CADRE:
            await members.set_role(
                session,
                member,
                role=StoredRole.MEMBER,
                actor_telegram_id=caller.telegram_id,
                now=deps.clock.now(),
            )
        cadres = await members.with_role(session, roles=["cadre"])
    text, markup = _listing(cadres, caller.lang)
    await edit(update, text, markup)
    if member is not None:
        await _publish(context, member)


async def _publish(context: Ctx, member: Member) -> None:
    if member.telegram_id is None:
        return
    admins = context.deps.admins
    role = (
        Role.ADMIN
        if member.telegram_id in admins
        else Role.CADRE
        if member.role == StoredRole.CADRE
        else Role.MEMBER
    )
    lang = normalise_lang(member.language, context.deps.config.union.default_language)
    await publish_for_user(context.bot, telegram_id=member.telegram_id, role=role, lang=lang)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("cadre", on_cadre, role=Role.ADMIN),
        legacy_button(r"^cadre:rm:(\d{1,12})$", on_remove_button, role=Role.ADMIN, where="private"),
    ]
