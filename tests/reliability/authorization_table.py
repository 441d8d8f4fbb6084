"""Who may do what, where: the one declared table the authorization matrix checks the running
bot against. Every command (by name) and every button (by its payload's prefix) the bot
registers has a row; a handler without one fails tests/reliability/test_authorization_matrix.

A row names the lowest role that may use the handler and the chats it works in. What each
person sees follows from it (the guard checks the place first, then the role):
- in the wrong kind of chat: a private command is redirected to the private chat (a link);
  a group command says it belongs in a workshop group; a button pressed there has expired;
- below the role: a guest is asked to register first when members may; anyone else is told
  the action is for cadres, or for the chair (admin);
- otherwise allowed: the handler runs (whatever it then answers is its own business).
An admin known only from config who has not registered has no member record: what members
do (on their own record) asks them to register first, like a guest; the cadres' and the
chair's tools work for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.roles import Role

Where = Literal["private", "group", "any"]


class Persona(StrEnum):
    """The people who try everything: a stranger, a member, a cadre, the chair (an admin in
    config who also registered) and an admin in config who never registered."""

    NONE = "none"
    MEMBER = "member"
    CADRE = "cadre"
    CHAIR = "chair"
    CONFIG_ADMIN = "config_admin"


ROLE_OF = {
    Persona.NONE: Role.GUEST,
    Persona.MEMBER: Role.MEMBER,
    Persona.CADRE: Role.CADRE,
    Persona.CHAIR: Role.ADMIN,
    Persona.CONFIG_ADMIN: Role.ADMIN,
}


class Place(StrEnum):
    PRIVATE = "private"
    BOUND_GROUP = "bound_group"
    UNBOUND_GROUP = "unbound_group"


class Outcome(StrEnum):
    ALLOWED = "allowed"
    REGISTER_FIRST = "register_first"
    NOT_ALLOWED = "not_allowed"
    ADMIN_ONLY = "admin_only"
    TO_PRIVATE = "private_only"  # a command: redirected to the private chat
    TO_GROUP = "group_only"
    BUTTON_REFUSED = "button_refused"  # a button pressed in the wrong kind of chat
    INTERNAL_ERROR = "internal_error"


@dataclass(frozen=True)
class Row:
    role: Role
    where: Where = "private"


def _r(role: Role, where: Where = "private") -> Row:
    return Row(role, where)


G, M, C, A = Role.GUEST, Role.MEMBER, Role.CADRE, Role.ADMIN

COMMANDS: dict[str, Row] = {
    "start": _r(G),
    "help": _r(G, "any"),
    "cancel": _r(G),
    "case": _r(G),
    "me": _r(M),
    "forget": _r(M),
    "birthday": _r(M),
    "quiet": _r(M),
    "report": _r(M),
    "suggest": _r(M),
    "mycases": _r(M),
    "activities": _r(M),
    "votes": _r(M),
    "voteresults": _r(M),
    "lifeevent": _r(M),
    "hardship": _r(M),
    "open": _r(M, "any"),
    "ask": _r(M, "any"),
    "birthdays": _r(C),
    "bindgroup": _r(C, "group"),
    "unbindgroup": _r(C, "group"),
    "groups": _r(C),
    "notice": _r(C),
    "receipts": _r(C),
    "scheduled": _r(C),
    "cases": _r(C),
    "casestats": _r(C),
    "newactivity": _r(C),
    "roster": _r(C),
    "newvote": _r(C),
    "carestats": _r(C),
    "openadd": _r(C),
    "kb": _r(C),
    "kbstats": _r(C),
    "console": _r(C),
    "greetnow": _r(A),
    "cadre": _r(A),
}

BUTTONS: dict[str, Row] = {
    # registration
    "pfd": _r(G),
    "pfskip": _r(G),
    "pfsh": _r(G),
    "pfyr": _r(G),
    "pflang": _r(G),
    "pfok": _r(G),
    "pfredo": _r(G),
    "quit": _r(G),
    # a member's own things
    "pfedit": _r(M),
    "forget": _r(M),
    "quiet": _r(M),
    "ack": _r(M, "any"),
    "rpc": _r(M),
    "rpd": _r(M),
    "rpi": _r(M),
    "rpf": _r(M),
    "cs": _r(M),
    "csr": _r(M),
    "ac": _r(M, "any"),
    "acg": _r(M, "any"),
    "vt": _r(M),
    "sg": _r(M, "any"),
    "lek": _r(M),
    "lew": _r(M),
    "les": _r(M),
    "lef": _r(M),
    "hdd": _r(M),
    "hdf": _r(M),
    "kbpick": _r(M),
    "kbtask": _r(M),
    "kbgo": _r(M),
    "kbh": _r(M),
    "kbask": _r(M),
    "kbsend": _r(M),
    # cadres
    "grp": _r(C, "group"),
    "ntg": _r(C),
    "ntd": _r(C),
    "ntdd": _r(C),
    "nta": _r(C),
    "ntp": _r(C),
    "ntn": _r(C),
    "ntf": _r(C),
    "ntx": _r(C),
    "rc": _r(C),
    "sch": _r(C),
    "cdl": _r(C),
    "cd": _r(C),
    "cdt": _r(C),
    "an": _r(C),
    "are": _r(C),
    "ar": _r(C),
    "arx": _r(C),
    "ari": _r(C),
    "arc": _r(C),
    "arr": _r(C),
    "vn": _r(C),
    "vc": _r(C),
    "obw": _r(C),
    # the chair
    "greet": _r(A),
    "cadre": _r(A),
    "cv": _r(A),
    # any press no other handler takes: answered as expired, for anyone, anywhere
    "*": _r(G, "any"),
}

# Handlers that are neither a command nor a button, and why the matrix does not try them.
OTHERS: dict[str, str] = {
    "on_my_chat_member": "the bot's own membership in a group changed (Telegram sends it)",
    "on_migrate": "a group became a supergroup (a service message with no command)",
    "on_private_message": "plain text in a private chat: whatever conversation is open takes it",
    "on_unknown_command": "a command no handler took, in a private chat: anyone is told so",
}


def expected(row: Row, persona: Persona, place: Place, *, button: bool) -> Outcome:
    """What this person sees when they try this handler in this place."""
    in_group = place != Place.PRIVATE
    if row.where == "private" and in_group:
        return Outcome.BUTTON_REFUSED if button else Outcome.TO_PRIVATE
    if row.where == "group" and not in_group:
        return Outcome.BUTTON_REFUSED if button else Outcome.TO_GROUP
    role = ROLE_OF[persona]
    if role < row.role:
        if role == Role.GUEST and row.role == Role.MEMBER:
            return Outcome.REGISTER_FIRST
        return Outcome.ADMIN_ONLY if row.role == Role.ADMIN else Outcome.NOT_ALLOWED
    if row.role == Role.MEMBER and persona == Persona.CONFIG_ADMIN:
        return Outcome.REGISTER_FIRST
    return Outcome.ALLOWED
