"""Which commands each role sees: all of them in /help, grouped by task, and only the most used
in Telegram's command menu (a long menu on a phone is a list nobody reads)."""

from __future__ import annotations

from dataclasses import dataclass

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
    "open",
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
    "openadd",
)
_BY_ROLE: dict[Role, tuple[str, ...]] = {
    Role.GUEST: ("start", "help", "cancel"),
    Role.MEMBER: _MEMBER_COMMANDS,
    Role.CADRE: (*_MEMBER_COMMANDS, *_CADRE_COMMANDS),
    Role.ADMIN: (*_MEMBER_COMMANDS, *_CADRE_COMMANDS, "cadre", "greetnow"),
}
GROUP_COMMANDS = ("help", "open", "bindgroup", "unbindgroup")
# The command menu: the few each role uses most (the rest are in /help).
_MENU: dict[Role, tuple[str, ...]] = {
    Role.GUEST: ("start", "help"),
    Role.MEMBER: ("ask", "report", "activities", "mycases", "me", "help", "cancel"),
    Role.CADRE: ("notice", "receipts", "cases", "newactivity", "console", "help", "cancel"),
    Role.ADMIN: ("notice", "receipts", "cases", "newactivity", "console", "help", "cancel"),
}


@dataclass(frozen=True)
class Section:
    """A task in /help: its heading for members and for cadres, and its commands."""

    member_title: str
    cadre_title: str
    commands: tuple[str, ...]


_RIGHTS = Section("help_sec_rights", "help_sec_kb", ("ask", "kb", "kbstats"))
_CASES = Section("help_sec_report", "help_sec_cases", ("report", "suggest", "mycases", "cases",
                                                       "casestats"))  # fmt: skip
_NOTICES = Section("help_sec_notices", "help_sec_notices", ("notice", "receipts", "scheduled"))
_ACTIVITIES = Section(
    "help_sec_activities", "help_sec_activities", ("activities", "newactivity", "roster")
)
_CARE = Section("help_sec_care", "help_sec_care", ("lifeevent", "hardship", "birthday",
                                                   "birthdays", "carestats"))  # fmt: skip
_VOTES = Section("help_sec_votes", "help_sec_votes", ("votes", "voteresults", "newvote"))
_OPEN = Section("help_sec_open", "help_sec_open", ("open", "openadd"))
_ADMIN = Section("help_sec_admin", "help_sec_admin", ("console", "groups", "cadre", "greetnow"))
_MINE = Section("help_sec_mine", "help_sec_mine", ("start", "me", "quiet", "forget", "help",
                                                   "cancel"))  # fmt: skip
_ORDER: dict[bool, tuple[Section, ...]] = {
    False: (_RIGHTS, _CASES, _ACTIVITIES, _CARE, _VOTES, _OPEN, _MINE),
    True: (_NOTICES, _CASES, _ACTIVITIES, _CARE, _VOTES, _OPEN, _RIGHTS, _ADMIN, _MINE),
}
OTHER = "help_sec_other"


def private_commands(role: Role) -> tuple[str, ...]:
    """Every command this role may use in private chat."""
    return _BY_ROLE[role]


def menu_commands(role: Role) -> tuple[str, ...]:
    """The role's Telegram command menu: only the most used."""
    return _MENU[role]


def help_sections(role: Role) -> list[tuple[str, tuple[str, ...]]]:
    """/help for this role: (heading key, commands) by task, each command once; a command no
    task names yet is listed under 「其他」 rather than left out."""
    allowed = private_commands(role)
    cadre = role >= Role.CADRE
    sections = []
    for section in _ORDER[cadre]:
        names = tuple(name for name in section.commands if name in allowed)
        if names:
            sections.append((section.cadre_title if cadre else section.member_title, names))
    listed = {name for _, names in sections for name in names}
    rest = tuple(name for name in allowed if name not in listed)
    return sections + ([(OTHER, rest)] if rest else [])


def description_key(command: str) -> str:
    return f"cmd_{command}"
