"""Workshop groups: the bot's own membership, migrations to supergroups, and binding a
group to a department (cadres only)."""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, ChatMemberUpdated, Update
from telegram.ext import BaseHandler, ChatMemberHandler, filters

from bot.context import Ctx
from bot.members import group_chats
from bot.members.callbacks import BindPress
from bot.privacy import ChatLabel
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button, command, guarded, message
from handlers.core.replies import answer, edit, say

log = logging.getLogger(__name__)
_PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)


def _bot_status(change: ChatMemberUpdated) -> str:
    status = change.new_chat_member.status
    return "kicked" if status == ChatMember.BANNED else str(status)


async def on_my_chat_member(update: Update, context: Ctx) -> None:
    """Track the bot joining, being promoted in, or leaving a group."""
    change = update.my_chat_member
    if change is None or change.chat.type == Chat.PRIVATE:
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    deps = context.deps
    async with deps.db.begin() as session:
        await group_chats.record_status(
            session,
            chat_id=change.chat.id,
            title=change.chat.title or "",
            bot_status=_bot_status(change),
            now=deps.clock.now(),
        )
    log.info("bot status in chat %s: %s -> %s", ChatLabel(change.chat.id), old, new)
    if new in _PRESENT and old not in _PRESENT:
        await context.bot.send_message(change.chat.id, t(context.caller.lang, "group_hello"))


async def on_migrate(update: Update, context: Ctx) -> None:
    """A group became a supergroup: its id changed, its binding moves with it."""
    msg = update.effective_message
    if msg is None:
        return
    if msg.migrate_to_chat_id:
        old, new = msg.chat.id, msg.migrate_to_chat_id
    elif msg.migrate_from_chat_id:
        old, new = msg.migrate_from_chat_id, msg.chat.id
    else:
        return
    deps = context.deps
    async with deps.db.begin() as session:
        moved = await group_chats.migrate(
            session, old_chat_id=old, new_chat_id=new, now=deps.clock.now()
        )
    if moved:
        log.info("group %s migrated to supergroup %s", old, new)


async def on_bindgroup(update: Update, context: Ctx) -> None:
    """Offer the departments as buttons (or bind at once to the one named after the command)."""
    caller, departments = context.caller, context.deps.config.union.departments
    named = " ".join(context.args or []).strip()
    if not named:
        keyboard = group_chats.department_keyboard(departments)
        await say(update, context, t(caller.lang, "bind_choose"), keyboard)
    elif named not in departments:
        choices = "、".join(departments)
        await say(update, context, t(caller.lang, "bind_unknown", name=named, choices=choices))
    else:
        await _bind(update, context, named)


async def on_bind_button(update: Update, context: Ctx, press: BindPress) -> None:
    """A cadre chose the department for this group."""
    departments = context.deps.config.union.departments
    if not 0 <= press.index < len(departments):
        await answer(update, context, t(context.caller.lang, "button_expired"), alert=True)
        return
    await _bind(update, context, departments[press.index])


async def _bind(update: Update, context: Ctx, department: str | None) -> None:
    chat = update.effective_chat
    assert chat is not None
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        await group_chats.bind(
            session,
            chat_id=chat.id,
            title=chat.title or "",
            department=department,
            by=caller.telegram_id,
            now=deps.clock.now(),
        )
    text = (
        t(caller.lang, "bind_done", department=department)
        if department
        else t(caller.lang, "unbind_done")
    )
    if update.callback_query is not None:
        await edit(update, text)
    else:
        await say(update, context, text)


async def on_unbindgroup(update: Update, context: Ctx) -> None:
    """Detach this group from its department; it will get no department notices."""
    await _bind(update, context, None)


async def on_groups(update: Update, context: Ctx) -> None:
    """List the groups the bot is in, with their departments."""
    deps = context.deps
    async with deps.db.read() as session:
        chats = await group_chats.bound(session)
    await say(update, context, group_chats.listing(chats, context.caller.lang))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        ChatMemberHandler(
            guarded(on_my_chat_member, role=Role.GUEST, where="any"),
            ChatMemberHandler.MY_CHAT_MEMBER,
        ),
        message(filters.StatusUpdate.MIGRATE, on_migrate, role=Role.GUEST, where="any"),
        command("bindgroup", on_bindgroup, role=Role.CADRE, where="group"),
        command("unbindgroup", on_unbindgroup, role=Role.CADRE, where="group"),
        button(BindPress, on_bind_button, role=Role.CADRE, where="group"),
        command("groups", on_groups, role=Role.CADRE),
    ]
