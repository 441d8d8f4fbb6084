"""State machines: for each stateful thing, one table of statuses, the actions allowed from
each, where each action leads and the role it needs.

The service enforces the table whatever asked (a chat button, a forged callback, the
console); desks draw their buttons from it; a test generated from it tries every move it
does not allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from bot.roles import Role

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


class Refused(Exception):
    """An action the table does not allow; `key` names the catalogue text that says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Move(Generic[S, A]):
    """`action` may be taken from any of `sources` by `role` or higher; it leads to `target`
    (None: the status stays as it is)."""

    action: A
    sources: frozenset[S]
    target: S | None = None
    role: Role = Role.CADRE


def move(
    action: A, sources: Iterable[S], target: S | None = None, *, role: Role = Role.CADRE
) -> Move[S, A]:
    return Move(action, frozenset(sources), target, role)


class StateMachine(Generic[S, A]):
    """The table for one kind of thing (a grievance, a sign-up, a notice, …)."""

    def __init__(self, name: str, statuses: type[S], moves: Sequence[Move[S, A]]) -> None:
        self.name = name
        self.statuses = statuses
        self._moves: dict[A, Move[S, A]] = {}
        for entry in moves:
            if entry.action in self._moves:
                raise ValueError(f"{name}: action {entry.action} declared twice")
            self._moves[entry.action] = entry

    @property
    def actions(self) -> tuple[A, ...]:
        """Every action this kind knows, in the order declared."""
        return tuple(self._moves)

    def allows(self, status: S, action: A, role: Role) -> bool:
        entry = self._moves.get(action)
        return entry is not None and status in entry.sources and role >= entry.role

    def check(self, status: S, action: A, role: Role) -> S:
        """The status after `action`, or Refused with the reason."""
        entry = self._moves.get(action)
        if entry is None or status not in entry.sources:
            raise Refused("action_not_allowed")
        if role < entry.role:
            raise Refused("admin_only" if entry.role >= Role.ADMIN else "not_allowed")
        return entry.target if entry.target is not None else status

    def available(self, status: S, role: Role) -> tuple[A, ...]:
        """What this role may do from this status, in the order declared."""
        return tuple(a for a in self._moves if self.allows(status, a, role))

    def needs(self, action: A) -> Role:
        entry = self._moves.get(action)
        return entry.role if entry is not None else Role.ADMIN
