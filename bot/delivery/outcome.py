"""What happened to one delivery attempt, as the worker needs to know it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Delivered:
    message_id: int | None


@dataclass(frozen=True)
class Unreachable:
    """Blocked, deactivated, kicked: the recipient is marked inactive and never retried."""

    reason: str


@dataclass(frozen=True)
class Migrated:
    new_chat_id: int


@dataclass(frozen=True)
class Throttled:
    retry_after: float


@dataclass(frozen=True)
class Transient:
    """A network problem: worth retrying with backoff."""

    reason: str


@dataclass(frozen=True)
class Rejected:
    """Telegram refused the message itself (a bad request): kept with the reason."""

    reason: str


Outcome = Delivered | Unreachable | Migrated | Throttled | Transient | Rejected

MAX_ATTEMPTS = 8


def backoff(attempts: int) -> float:
    """Seconds to wait before retry number `attempts` (1, 2, 4 … capped at 5 minutes)."""
    return float(min(300, 2 ** max(0, attempts - 1)))


UNREACHABLE_CODES = frozenset(
    {"blocked", "deactivated", "kicked", "left", "not_started", "chat_not_found"}
)


def reason_code(message: str) -> str:
    """A short, stable code for a failure text, for receipts and the catalogue."""
    lowered = message.lower()
    for needle, code in (
        ("blocked by the user", "blocked"),
        ("user is deactivated", "deactivated"),
        ("kicked", "kicked"),
        ("not a member", "left"),
        ("can't initiate conversation", "not_started"),
        ("chat not found", "chat_not_found"),
    ):
        if needle in lowered:
            return code
    return "other"
