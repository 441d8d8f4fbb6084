"""How a reporter files a case: named, anonymous (replies still reach them), or anonymous
with no follow-up (nothing links the case to them; a receipt code instead)."""

from __future__ import annotations

from enum import StrEnum


class Identity(StrEnum):
    NAMED = "named"
    ANONYMOUS = "anonymous"
    NO_FOLLOW_UP = "no_follow_up"


# What the report's summary calls each way, and the button that chooses it.
SUMMARY_LABELS: dict[Identity, str] = {
    Identity.NAMED: "identity_named",
    Identity.ANONYMOUS: "identity_anonymous",
    Identity.NO_FOLLOW_UP: "identity_no_follow_up",
}
BUTTON_LABELS: dict[Identity, str] = {
    Identity.NAMED: "btn_named",
    Identity.ANONYMOUS: "btn_anonymous",
    Identity.NO_FOLLOW_UP: "btn_no_follow_up",
}


def is_anonymous(identity: str) -> bool:
    return identity != Identity.NAMED


def follows_up(identity: str) -> bool:
    """Whether the case keeps a link to its reporter (to relay replies)."""
    return identity != Identity.NO_FOLLOW_UP
