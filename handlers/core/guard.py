"""The one place that decides who may run a handler: every command, button and message
handler is built here, so none can be registered without a role check."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

from telegram import Chat, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import Caller, Ctx
from bot.core.callbacks import CallbackData
from bot.core.keyboard import Button, Keyboard
from bot.members import callers
from bot.privacy import pseudonym
from bot.roles import Role
from bot.strings import t
from handlers.core.replies import answer, say

log = logging.getLogger(__name__)

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, None]]
D = TypeVar("D", bound=CallbackData)
Press = Callable[[Update, Ctx, D], Coroutine[Any, Any, None]]
Where = Literal["private", "group", "any"]
ROLE_ATTRIBUTE = "__unionbridge_role__"
PLACE_ATTRIBUTE = "__unionbridge_place__"
# Private commands by name, so a deep link from a group can open one in the private chat.
_PRIVATE: dict[str, Callback] = {}


async def resolve_caller(update: Update, context: Ctx) -> Caller | None:
    user = update.effective_user
    deps = context.deps
    if user is None:
        return None
    async with deps.db.read() as session:
        member = await callers.member_of(session, user.id)
    chat = update.effective_chat
    if member is not None and not member.active and chat is not None and chat.type == Chat.PRIVATE:
        # They blocked the bot once (so the outbox stopped); writing to it again undoes that.
        async with deps.db.begin() as session:
            member = await callers.reactivate(session, user.id, now=deps.clock.now())
    role, lang = callers.standing(
        member,
        telegram_id=user.id,
        telegram_lang=user.language_code,
        admins=deps.admins,
        default=deps.config.union.default_language,
    )
    return Caller(telegram_id=user.id, member=member, role=role, lang=lang)


def _place_ok(where: Where, chat: Chat | None) -> bool:
    if where == "any" or chat is None:
        return True
    return (chat.type == Chat.PRIVATE) == (where == "private")


async def _refuse_place(update: Update, context: Ctx, caller: Caller, where: Where) -> None:
    if where == "private":
        # A deep link that opens the private chat with this very command (/start report).
        name = command_name(update)
        link = f"https://t.me/{context.bot.username}?start={name if name in _PRIVATE else 'go'}"
        keyboard = Keyboard.of([[Button(t(caller.lang, "private_open"), url=link)]])
        await say(update, context, t(caller.lang, "private_only", link=link), keyboard)
    else:
        await say(update, context, t(caller.lang, "group_only"))


def _log_refusal(
    handler: str, caller: Caller, refusal: str, needed: str, chat: Chat | None
) -> None:
    """One line per refusal; the fields ride along for whoever reads the records."""
    chat_type = chat.type if chat is not None else "none"
    who = pseudonym(caller.telegram_id)
    log.info(
        "refused %s to user %s in a %s chat (role %s; needs %s %s)",
        handler,
        who,
        chat_type,
        caller.role.name,
        refusal,
        needed,
        extra={"handler": handler, "refusal": refusal, "who": who, "chat_type": chat_type},
    )


def refusal_key(needed: Role, caller: Caller) -> str | None:
    """Why this caller may not run a handler that needs this role (None: they may). What
    members do works on the caller's own member record: an admin known only from config, who
    never registered, is asked to register first (the cadres' and chair's tools need none)."""
    registered = caller.member is not None and caller.member.registered_at is not None
    if caller.role < needed:
        if caller.role == Role.GUEST and needed == Role.MEMBER:
            return "register_first"
        return "admin_only" if needed == Role.ADMIN else "not_allowed"
    if needed == Role.MEMBER and not registered:
        return "register_first"
    return None


def guarded(callback: Callback, *, role: Role, where: Where) -> Callback:
    """Wrap a callback so it runs only for a caller with at least this role, in this place."""

    async def run(update: Update, context: Ctx) -> None:
        # The caller's look-up and the handler's first reads: one unit of work.
        async with context.deps.db.update_reads():
            await _checked(update, context)

    async def _checked(update: Update, context: Ctx) -> None:
        caller = await resolve_caller(update, context)
        if caller is None:
            if role > Role.GUEST:
                return
            # Service messages (a group's migration) may carry no sender.
            lang = context.deps.config.union.default_language
            caller = Caller(telegram_id=0, member=None, role=Role.GUEST, lang=lang)
        is_button = update.callback_query is not None
        if not _place_ok(where, update.effective_chat):
            _log_refusal(callback.__name__, caller, "place", where, update.effective_chat)
            if is_button:
                await answer(update, context, t(caller.lang, "button_expired"), alert=True)
            else:
                await _refuse_place(update, context, caller, where)
            return
        key = refusal_key(role, caller)
        if key is not None:
            _log_refusal(callback.__name__, caller, "role", role.name, update.effective_chat)
            text = t(caller.lang, key)
            if is_button:
                await answer(update, context, text, alert=True)
            else:
                await say(update, context, text)
            return
        context.set_caller(caller)
        await callback(update, context)
        if is_button:
            # A press the callback left unanswered still stops the spinner. Not on failure:
            # then the error handler answers with the reason (系统忙 while the database is down).
            await answer(update, context)

    run.__name__ = callback.__name__
    run.__doc__ = callback.__doc__
    setattr(run, ROLE_ATTRIBUTE, role)
    setattr(run, PLACE_ATTRIBUTE, where)
    return run


def command_name(update: Update) -> str:
    """The command a message starts with, lower-cased, without /, @bot or arguments."""
    message = update.effective_message
    words = (message.text or "").split() if message is not None else []
    return words[0].removeprefix("/").split("@")[0].lower() if words else ""


def opened_from_group(payload: str) -> Callback | None:
    """The private command a /start deep link from a group names (/start report), if any."""
    return _PRIVATE.get(payload)


def command(
    names: str | list[str], callback: Callback, *, role: Role, where: Where = "private"
) -> BaseHandler[Update, Ctx, None]:
    run = guarded(callback, role=role, where=where)
    if where == "private":
        for name in [names] if isinstance(names, str) else names:
            if name != "start":
                _PRIVATE[name] = run
    return CommandHandler(names, run)


def button(
    data: type[D], callback: Press[D], *, role: Role, where: Where = "any"
) -> BaseHandler[Update, Ctx, None]:
    """A press of a button carrying `data`: the guard checks the role and the place, then the
    callback gets the typed value (a payload that does not parse is answered as expired)."""

    async def take(update: Update, context: Ctx) -> None:
        query = update.callback_query
        value = data.parse(query.data if query is not None else None)
        if value is None:
            await answer(update, context, t(context.caller.lang, "button_expired"), alert=True)
            return
        await callback(update, context, value)

    take.__name__ = callback.__name__
    take.__doc__ = callback.__doc__
    return CallbackQueryHandler(guarded(take, role=role, where=where), pattern=data.pattern())


async def on_stale_button(update: Update, context: Ctx) -> None:
    """A payload no button of this version carries (an old message, a forged press)."""
    await answer(update, context, t(context.caller.lang, "button_expired"), alert=True)


def stale_buttons() -> BaseHandler[Update, Ctx, None]:
    """Registered last: every press that no other handler took is still answered."""
    return CallbackQueryHandler(
        guarded(on_stale_button, role=Role.GUEST, where="any"), pattern=r"^[\s\S]*$"
    )


def message(
    accepted: filters.BaseFilter, callback: Callback, *, role: Role, where: Where
) -> BaseHandler[Update, Ctx, None]:
    return MessageHandler(accepted, guarded(callback, role=role, where=where))
