"""/quiet: a member's quiet hours, when non-urgent private messages wait."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.members.quiet_hours import format_quiet, parse_quiet
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command, legacy_button
from handlers.core.replies import keyboard, say
from storage import members

PRESETS = ("22:00-07:00", "23:00-08:00", "08:00-16:00")  # night, late night, night shift


async def on_quiet(update: Update, context: Ctx) -> None:
    """`/quiet 22:00-07:00` sets quiet hours, `/quiet off` clears them, `/quiet` shows them."""
    caller = context.caller
    member = caller.member
    assert member is not None
    argument = " ".join(context.args or []).strip()
    if not argument:
        current = (
            format_quiet(member.quiet_start, member.quiet_end)
            if member.quiet_start is not None and member.quiet_end is not None
            else t(caller.lang, "word_none")
        )
        rows = [
            [(preset, f"qt:set:{preset}") for preset in PRESETS[:2]],
            [(PRESETS[2], f"qt:set:{PRESETS[2]}"), (t(caller.lang, "btn_quiet_off"), "qt:set:off")],
        ]
        await say(update, context, t(caller.lang, "quiet_show", current=current), keyboard(rows))
        return
    await _set(update, context, argument)


async def on_quiet_button(update: Update, context: Ctx) -> None:
    """A preset pressed under /quiet."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await _set(update, context, query.data.split(":", 2)[2])


async def _set(update: Update, context: Ctx, argument: str) -> None:
    caller, deps = context.caller, context.deps
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
    return [
        command("quiet", on_quiet, role=Role.MEMBER),
        legacy_button(
            r"^qt:set:(\d{2}:\d{2}-\d{2}:\d{2}|off)$",
            on_quiet_button,
            role=Role.MEMBER,
            where="private",
        ),
    ]
