"""/help, and the command menus published with setMyCommands per scope and language."""

from __future__ import annotations

import logging

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Chat,
    MenuButton,
    MenuButtonDefault,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, ExtBot, filters

from bot.console.settings import ConsoleConfig
from bot.context import Ctx
from bot.core.command_menu import GROUP_COMMANDS, description_key, help_sections, menu_commands
from bot.deps import Deps
from bot.members.callers import menu_holders
from bot.members.profile_form import REGISTRATION
from bot.privacy import Pseudonym
from bot.roles import Role
from bot.strings import LANGUAGES, Lang, t
from handlers.core import flow_state
from handlers.core.guard import command, command_name, message
from handlers.core.replies import say

log = logging.getLogger(__name__)
HELP = {
    Role.GUEST: "help_guest",
    Role.MEMBER: "help_member",
    Role.CADRE: "help_cadre",
    Role.ADMIN: "help_admin",
}


def _commands(names: tuple[str, ...], lang: Lang) -> list[BotCommand]:
    return [BotCommand(name, t(lang, description_key(name))) for name in names]


async def on_help(update: Update, context: Ctx) -> None:
    """List what this user may do here: group commands in a group, their role's in private."""
    caller = context.caller
    chat = update.effective_chat
    in_group = chat is not None and chat.type != Chat.PRIVATE
    lang = caller.lang
    if in_group:
        lines = [_line(name, lang) for name in GROUP_COMMANDS]
        await say(update, context, t(lang, "help_group") + "\n\n" + "\n".join(lines))
        return
    if caller.role == Role.GUEST and await flow_state.current(context, REGISTRATION):
        await say(update, context, t(lang, "help_registering"))  # not "send /start": they did
        return
    blocks: list[str] = [t(lang, HELP[caller.role])]
    for title, names in help_sections(caller.role):
        blocks.append("\n".join([f"<b>{t(lang, title)}</b>", *(_line(n, lang) for n in names)]))
    await say(update, context, "\n\n".join(blocks))


def _line(name: str, lang: Lang) -> str:
    return f"/{name} — {t(lang, description_key(name))}"


def _menu_button(role: Role, lang: Lang, console: ConsoleConfig | None) -> MenuButton:
    """The private chat's menu button: the console for a cadre when it is served."""
    if role >= Role.CADRE and console is not None and console.enabled and console.public_url:
        return MenuButtonWebApp(t(lang, "console_menu_button"), WebAppInfo(console.public_url))
    return MenuButtonDefault()


async def publish_for_user(
    bot: ExtBot[None],
    *,
    telegram_id: int,
    role: Role,
    lang: Lang,
    console: ConsoleConfig | None = None,
) -> None:
    """Give one cadre or admin their wider menu and the console's menu button (or take them
    back), in their own language."""
    scope = BotCommandScopeChat(telegram_id)
    try:
        if role >= Role.CADRE:
            await bot.set_my_commands(_commands(menu_commands(role), lang), scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
        if console is not None and console.enabled:
            menu = _menu_button(role, lang, console)
            await bot.set_chat_menu_button(chat_id=telegram_id, menu_button=menu)
    except TelegramError as exc:
        # A cadre who never opened the private chat cannot have a chat-scoped menu yet.
        log.warning(
            "could not publish commands for user %s: %s", Pseudonym(telegram_id), exc.message
        )


async def publish_all(bot: ExtBot[None], deps: Deps) -> None:
    """Menus for members in private, for groups, and for each cadre and admin."""
    for lang in LANGUAGES:
        code = None if lang == deps.config.union.default_language else lang
        await bot.set_my_commands(
            _commands(menu_commands(Role.MEMBER), lang),
            scope=BotCommandScopeAllPrivateChats(),
            language_code=code,
        )
        await bot.set_my_commands(
            _commands(GROUP_COMMANDS, lang),
            scope=BotCommandScopeAllGroupChats(),
            language_code=code,
        )
    async with deps.db.read() as session:
        holders = await menu_holders(
            session, admins=deps.admins, default=deps.config.union.default_language
        )
    for holder in holders:
        await publish_for_user(
            bot,
            telegram_id=holder.telegram_id,
            role=holder.role,
            lang=holder.lang,
            console=deps.config.console,
        )


async def on_unknown_command(update: Update, context: Ctx) -> None:
    """A command nobody took in the private chat (a typo, an old one): say so, point to /help."""
    name = command_name(update)
    await say(update, context, t(context.caller.lang, "unknown_command", name=name))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [command("help", on_help, role=Role.GUEST, where="any")]


def unknown_commands() -> BaseHandler[Update, Ctx, None]:
    """Registered after every feature's handlers. In a group, a command may be another bot's."""
    private_commands = filters.ChatType.PRIVATE & filters.COMMAND
    return message(private_commands, on_unknown_command, role=Role.GUEST, where="private")
