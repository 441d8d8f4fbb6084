"""Which commands each role sees, in /help and in Telegram's command menu."""

from __future__ import annotations

from bot.roles import Role

_MEMBER_COMMANDS = (
    "ask",
    "report",
    "suggest",
    "lifeevent",
    "hardship",
    "mycases",
    "activities",
    "votes",
    "voteresults",
    "me",
    "birthday",
    "quiet",
    "help",
    "cancel",
    "forget",
)
_CADRE_COMMANDS = (
    "console",
    "cases",
    "casestats",
    "kb",
    "kbstats",
    "newactivity",
    "roster",
    "newvote",
    "carestats",
    "notice",
    "receipts",
    "scheduled",
    "birthdays",
    "groups",
)
_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.GUEST: ("start", "help", "cancel"),
    Role.MEMBER: _MEMBER_COMMANDS,
    Role.CADRE: (*_MEMBER_COMMANDS, *_CADRE_COMMANDS),
    Role.ADMIN: (*_MEMBER_COMMANDS, *_CADRE_COMMANDS, "cadre", "greetnow"),
}
GROUP_COMMANDS = ("help", "bindgroup", "unbindgroup")


def private_commands(role: Role) -> tuple[str, ...]:
    """Commands this role may use in private chat, in menu order."""
    return _BY_ROLE[role]


def description_key(command: str) -> str:
    return f"cmd_{command}"
