"""/birthday for a member's own setting, /birthdays for cadres' upcoming list, and an
admin's /greetnow."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.clock import local_today
from bot.context import Ctx
from bot.core.states import Refused
from bot.greetings import birthday_lists
from bot.greetings.callbacks import GreetNowPress
from bot.greetings.manual_run import confirm_view, greeting_day, manual_runs, run_again
from bot.members.profile_view import birthday_keyboard
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say


async def on_birthday(update: Update, context: Ctx) -> None:
    """Show the member's birthday setting, with buttons to change it."""
    caller = context.caller
    assert caller.member is not None
    time = context.deps.config.greetings.time
    text = birthday_lists.setting(caller.member, caller.lang, time=time)
    await say(update, context, text, birthday_keyboard(caller.lang))


async def on_birthdays(update: Update, context: Ctx) -> None:
    """Upcoming birthdays: a cadre sees their own department, an admin every department."""
    caller, deps = context.caller, context.deps
    departments = None
    if caller.role < Role.ADMIN and caller.member is not None:
        departments = [caller.member.department]
    today = local_today(deps.clock, deps.config.union.zone)
    async with deps.db.read() as session:
        people = await birthday_lists.upcoming(session, today=today, departments=departments)
    scope = "、".join(departments) if departments else t(caller.lang, "word_all_departments")
    await say(update, context, birthday_lists.upcoming_text(people, caller.lang, scope))


async def on_greetnow(update: Update, context: Ctx) -> None:
    """Offer to run today's greetings again (say, after importing members)."""
    deps, lang = context.deps, context.caller.lang
    day = greeting_day(deps.clock.now(), deps.config)
    if day is None:
        await say(update, context, t(lang, "greetnow_early", time=deps.config.greetings.time))
        return
    async with deps.db.read() as session:
        runs = await manual_runs(session, day=day)
    text, keyboard = confirm_view(lang, runs=runs)
    await say(update, context, text, keyboard)


async def on_greetnow_button(update: Update, context: Ctx, press: GreetNowPress) -> None:
    """Run them again — once per drawn button, however many taps are in flight."""
    deps, lang = context.deps, context.caller.lang
    now = deps.clock.now()
    day = greeting_day(now, deps.config)
    if day is None:
        await answer(update, context, t(lang, "button_expired"), alert=True)
        return
    try:
        async with deps.db.begin() as session:
            queued = await run_again(session, seen=press.runs, day=day, now=now, config=deps.config)
    except Refused as refused:
        await answer(update, context, t(lang, refused.key), alert=True)
        return
    deps.delivery.wake()
    await edit(update, t(lang, "greetnow_done", count=queued))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("birthday", on_birthday, role=Role.MEMBER),
        command("birthdays", on_birthdays, role=Role.CADRE),
        command("greetnow", on_greetnow, role=Role.ADMIN),
        button(GreetNowPress, on_greetnow_button, role=Role.ADMIN, where="private"),
    ]
