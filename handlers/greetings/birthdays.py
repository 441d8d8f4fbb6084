"""/birthday for a member's own setting, /birthdays for cadres' upcoming list."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler

from bot.clock import local_today
from bot.context import Ctx
from bot.greetings.birthday_dates import format_birthday
from bot.greetings.celebrations import celebrating_on
from bot.jobs import daily_greetings
from bot.members.profiles import member_birthday
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command
from handlers.core.replies import keyboard, say

UPCOMING_DAYS = 30


async def on_birthday(update: Update, context: Ctx) -> None:
    """Show the member's birthday setting, with buttons to change it."""
    caller = context.caller
    member = caller.member
    assert member is not None
    lang = caller.lang
    birthday = member_birthday(member)
    yes, no = t(lang, "word_yes"), t(lang, "word_no")
    text = t(
        lang,
        "birthday_setting",
        birthday=format_birthday(birthday, lang) if birthday else t(lang, "word_not_given"),
        share=yes if member.share_birthday else no,
        show_age=no if member.hide_year else yes,
        time=context.deps.config.greetings.time,
    )
    rows = [
        [(t(lang, "btn_edit_bday"), "me:edit:bday"), (t(lang, "btn_edit_share"), "me:edit:share")],
        [(t(lang, "btn_edit_year"), "me:edit:year")],
    ]
    await say(update, context, text, keyboard(rows))


async def on_birthdays(update: Update, context: Ctx) -> None:
    """Upcoming birthdays: a cadre sees their own department, an admin every department."""
    caller, deps = context.caller, context.deps
    lang = caller.lang
    departments = None
    if caller.role < Role.ADMIN and caller.member is not None:
        departments = [caller.member.department]
    today = local_today(deps.clock, deps.config.union.zone)
    lines = []
    async with deps.db.read() as session:
        for offset in range(UPCOMING_DAYS):
            day = today + timedelta(days=offset)
            for member in await celebrating_on(session, day, departments):
                lines.append(
                    t(
                        lang,
                        "birthdays_line",
                        when=f"{day.month}-{day.day:02d}",
                        department=member.department,
                        name=member.name,
                    )
                )
    scope = "、".join(departments) if departments else t(lang, "word_all_departments")
    if not lines:
        await say(update, context, t(lang, "birthdays_none", scope=scope, days=UPCOMING_DAYS))
        return
    head = t(lang, "birthdays_title", scope=scope, days=UPCOMING_DAYS)
    await say(update, context, head + "\n" + "\n".join(lines[:150]))


async def on_greetnow(update: Update, context: Ctx) -> None:
    """Run today's greetings again (say, after importing members): only new ones go out."""
    deps, lang = context.deps, context.caller.lang
    queued = await daily_greetings(deps, again=True)
    local = deps.clock.now().astimezone(deps.config.union.zone)
    if local.time() < deps.config.greetings.send_at:
        await say(update, context, t(lang, "greetnow_early", time=deps.config.greetings.time))
        return
    await say(update, context, t(lang, "greetnow_done", count=queued))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("birthday", on_birthday, role=Role.MEMBER),
        command("birthdays", on_birthdays, role=Role.CADRE),
        command("greetnow", on_greetnow, role=Role.ADMIN),
    ]
