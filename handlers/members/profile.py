"""/me to see and edit one's profile, and /forget to erase it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.members.callbacks import EditPress, ForgetChoice, ForgetPress
from bot.members.profile_form import EDITS, PROFILE_EDIT, ProfileDraft
from bot.members.profile_view import forget_keyboard, profile_keyboard, prompt, summary
from bot.members.profiles import draft_from_member, forget
from bot.roles import Role
from bot.strings import t
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say


async def on_me(update: Update, context: Ctx) -> None:
    """Show the caller's profile with buttons to change each part."""
    caller = context.caller
    assert caller.member is not None
    profile = summary(draft_from_member(caller.member), caller.lang, context.deps.config.union)
    text = t(caller.lang, "profile_title") + "\n" + profile
    await say(update, context, text, profile_keyboard(caller.lang))


async def on_edit(update: Update, context: Ctx, press: EditPress) -> None:
    """Start a one-field edit of the caller's profile."""
    caller = context.caller
    step = EDITS[press.field]
    await flow_state.save(context, PROFILE_EDIT, step, ProfileDraft())
    text, keyboard = prompt(step, caller.lang, union=context.deps.config.union)
    await say(update, context, text + "\n\n" + t(caller.lang, "cancel_hint_edit"), keyboard)


async def on_forget(update: Update, context: Ctx) -> None:
    """Ask the member to confirm erasing everything the bot keeps about them."""
    lang = context.caller.lang
    await say(update, context, t(lang, "forget_confirm"), forget_keyboard(lang))


async def on_forget_button(update: Update, context: Ctx, press: ForgetPress) -> None:
    """Erase on 'yes', keep everything on 'no'; 'ask' comes from the /me keyboard."""
    caller, deps = context.caller, context.deps
    if press.choice == ForgetChoice.ASK:
        await on_forget(update, context)
        return
    if press.choice == ForgetChoice.NO:
        await edit(update, t(caller.lang, "forget_kept"))
        return
    async with deps.db.begin() as session:
        erased = await forget(session, telegram_id=caller.telegram_id)
    if not erased:  # a second press in flight: the first one erased it all already
        await answer(update, context, t(caller.lang, "register_first"), alert=True)
        return
    await edit(update, t(caller.lang, "forget_done"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("me", on_me, role=Role.MEMBER),
        command("forget", on_forget, role=Role.MEMBER),
        button(EditPress, on_edit, role=Role.MEMBER, where="private"),
        button(ForgetPress, on_forget_button, role=Role.MEMBER, where="private"),
    ]
