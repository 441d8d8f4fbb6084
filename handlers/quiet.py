"""/quiet: a member's quiet hours, when non-urgent private messages wait."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.quiet import format_quiet, parse_quiet
from bot.roles import Role
from bot.strings import t
from handlers.guard import command
from handlers.replies import say
from storage import members


async def on_quiet(update: Update, context: Ctx) -> None:
    """`/quiet 22:00-07:00` sets quiet hours, `/quiet off` clears them, `/quiet` shows them."""
    caller, deps = context.caller, context.deps
    member = caller.member
    assert member is not None
    argument = " ".join(context.args or []).strip()
    if not argument:
        current = (
            format_quiet(member.quiet_start, member.quiet_end)
            if member.quiet_start is not None and member.quiet_end is not None
            else t(caller.lang, "word_none")
        )
        await say(update, context, t(caller.lang, "quiet_show", current=current))
        return
    if argument.lower() in ("off", "关", "关闭", "取消"):
        start, end = None, None
    else:
        parsed = parse_quiet(argument)
        if parsed is None:
            await say(update, context, t(caller.lang, "quiet_bad", value=argument))
            return
        start, end = parsed
    async with deps.db.begin() as session:
        fresh = await members.get_by_telegram_id(session, caller.telegram_id)
        assert fresh is not None
        await members.update(session, fresh, now=deps.clock.now(), quiet_start=start, quiet_end=end)
    if start is None or end is None:
        await say(update, context, t(caller.lang, "quiet_off"))
    else:
        await say(update, context, t(caller.lang, "quiet_set", range=format_quiet(start, end)))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [command("quiet", on_quiet, role=Role.MEMBER)]
