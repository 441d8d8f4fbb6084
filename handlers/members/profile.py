"""/me to see and edit one's profile, and /forget to erase it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.members.profile_form import Step
from bot.members.profiles import draft_from_member
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command, legacy_button
from handlers.core.replies import edit, keyboard, say
from handlers.members.profile_view import profile_keyboard, prompt, summary
from handlers.members.registration import EDIT
from storage import dialogs, members

EDITABLE = {
    "name": Step.NAME,
    "dept": Step.DEPARTMENT,
    "bday": Step.BIRTHDAY,
    "share": Step.SHARE,
    "year": Step.HIDE_YEAR,
    "lang": Step.LANGUAGE,
}


async def on_me(update: Update, context: Ctx) -> None:
    """Show the caller's profile with buttons to change each part."""
    caller = context.caller
    assert caller.member is not None
    text = (
        t(caller.lang, "profile_title")
        + "\n"
        + summary(draft_from_member(caller.member), caller.lang)
    )
    await say(update, context, text, profile_keyboard(caller.lang))


async def on_edit_button(update: Update, context: Ctx) -> None:
    """Start a one-field edit of the caller's profile."""
    query = update.callback_query
    assert query is not None and query.data is not None
    step = EDITABLE[query.data.rsplit(":", 1)[1]]
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        await dialogs.put(
            session, user_id=caller.telegram_id, flow=EDIT, step=step, data={}, now=deps.clock.now()
        )
    text, markup = prompt(step, caller.lang, departments=deps.config.union.departments)
    await say(update, context, text + "\n\n" + t(caller.lang, "cancel_hint"), markup)


async def on_forget(update: Update, context: Ctx) -> None:
    """Ask the member to confirm erasing everything the bot keeps about them."""
    lang = context.caller.lang
    await say(
        update,
        context,
        t(lang, "forget_confirm"),
        keyboard(
            [
                [
                    (t(lang, "btn_forget_yes"), "me:forget:yes"),
                    (t(lang, "btn_forget_no"), "me:forget:no"),
                ]
            ]
        ),
    )


async def on_forget_button(update: Update, context: Ctx) -> None:
    """Erase on 'yes', keep everything on 'no'; 'ask' comes from the /me keyboard."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = query.data.rsplit(":", 1)[1]
    caller, deps = context.caller, context.deps
    if choice == "ask":
        await on_forget(update, context)
        return
    if choice == "no":
        await edit(update, t(caller.lang, "forget_kept"))
        return
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        await members.erase(session, telegram_id=caller.telegram_id)
    await edit(update, t(caller.lang, "forget_done"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("me", on_me, role=Role.MEMBER),
        command("forget", on_forget, role=Role.MEMBER),
        legacy_button(
            r"^me:edit:(name|dept|bday|share|year|lang)$",
            on_edit_button,
            role=Role.MEMBER,
            where="private",
        ),
        legacy_button(
            r"^me:forget:(ask|yes|no)$", on_forget_button, role=Role.MEMBER, where="private"
        ),
    ]
