"""/quiet: a member's quiet hours, when non-urgent private messages wait."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.core.flow import Rejected
from bot.members.callbacks import QuietPress
from bot.members.profiles import set_quiet_hours
from bot.members.quiet_hours import (
    PRESETS,
    QuietHours,
    describe,
    format_quiet,
    quiet_keyboard,
    read_quiet,
)
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button, command
from handlers.core.replies import say


async def on_quiet(update: Update, context: Ctx) -> None:
    """`/quiet 22:00-07:00` sets quiet hours, `/quiet off` clears them, `/quiet` shows them."""
    caller = context.caller
    member = caller.member
    assert member is not None
    argument = " ".join(context.args or []).strip()
    if not argument:
        current = describe(member.quiet_start, member.quiet_end, caller.lang)
        text = t(caller.lang, "quiet_show", current=current)
        await say(update, context, text, quiet_keyboard(caller.lang))
        return
    hours = read_quiet(argument)
    if isinstance(hours, Rejected):
        await say(update, context, t(caller.lang, hours.key, **hours.params))
        return
    await _set(update, context, hours)


async def on_quiet_button(update: Update, context: Ctx, press: QuietPress) -> None:
    """A preset pressed under /quiet."""
    await _set(update, context, PRESETS[press.preset])


async def _set(update: Update, context: Ctx, hours: QuietHours) -> None:
    caller, deps = context.caller, context.deps
    start, end = hours if hours is not None else (None, None)
    async with deps.db.begin() as session:
        await set_quiet_hours(
            session, telegram_id=caller.telegram_id, start=start, end=end, now=deps.clock.now()
        )
    if hours is None:
        await say(update, context, t(caller.lang, "quiet_off"))
    else:
        await say(update, context, t(caller.lang, "quiet_set", range=format_quiet(*hours)))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("quiet", on_quiet, role=Role.MEMBER),
        button(QuietPress, on_quiet_button, role=Role.MEMBER, where="private"),
    ]
