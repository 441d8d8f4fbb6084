"""A vote's life: open (ballots are cast) → closed (the results are out), with the role each
action needs. The minute tick closes a vote whose time is up through the same compare-and-set
as a cadre's press, so the results go out once whoever closes it."""

from __future__ import annotations

from enum import StrEnum

from bot.core.states import Refused, StateMachine, move
from bot.roles import Role
from storage.statuses import VoteStatus


class VoteAction(StrEnum):
    CAST = "cast"
    CLOSE = "close"
    RESULTS = "results"  # see the counts (while open only the turnout is shown)


VOTE_STATES = StateMachine(
    "vote",
    VoteStatus,
    [
        move(VoteAction.CAST, [VoteStatus.OPEN], role=Role.MEMBER),
        move(VoteAction.CLOSE, [VoteStatus.OPEN], VoteStatus.CLOSED),
        move(VoteAction.RESULTS, [VoteStatus.CLOSED], role=Role.MEMBER),
    ],
)
# What a refused move says, in the words of the button or command that asked for it.
REFUSED = {
    VoteAction.CAST: "vote_closed",
    VoteAction.CLOSE: "vote_already_closed",
    VoteAction.RESULTS: "vote_still_open",
}


def check_vote(status: VoteStatus, action: VoteAction, role: Role) -> VoteStatus:
    """The status after `action`, or Refused with the reason."""
    try:
        return VOTE_STATES.check(status, action, role)
    except Refused as refusal:
        if refusal.key == "action_not_allowed":
            raise Refused(REFUSED[action]) from None
        raise
