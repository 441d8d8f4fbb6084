"""/console: the cadres' web console — a button that opens it as a Telegram Mini App, and a
one-time login link (10 minutes, bound to this cadre) for a desktop browser."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.ext import BaseHandler

from bot.console import logins
from bot.context import Ctx
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command
from handlers.core.menu import publish_for_user
from handlers.core.replies import say


async def on_console(update: Update, context: Ctx) -> None:
    """Open the console here, or on a computer with a one-time link."""
    caller, deps = context.caller, context.deps
    settings = deps.config.console
    if not settings.enabled or not settings.public_url:
        await say(update, context, t(caller.lang, "console_not_configured"))
        return
    async with deps.db.begin() as session:
        token = await logins.issue(session, telegram_id=caller.telegram_id, now=deps.clock.now())
    opens = InlineKeyboardButton(
        t(caller.lang, "btn_console_open"), web_app=WebAppInfo(settings.public_url)
    )
    await say(update, context, t(caller.lang, "console_open_text"), InlineKeyboardMarkup([[opens]]))
    link = f"{settings.public_url}login?token={token}"
    await say(update, context, t(caller.lang, "console_login_link", link=link))
    # The chat's menu button opens the console too (set again, in case the role is new).
    await publish_for_user(
        context.bot,
        telegram_id=caller.telegram_id,
        role=caller.role,
        lang=caller.lang,
        console=settings,
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [command("console", on_console, role=Role.CADRE)]
