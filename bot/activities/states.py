"""The activities' two tables: an activity's life (open → cancelled) and a sign-up's
(confirmed, waitlisted, offered, cancelled), each action with the role it needs.

A member with no sign-up yet counts as one whose sign-up is cancelled: both may join. The
minute tick's own moves (a waiting sign-up offered a freed place, an offer expiring) follow
the capacity and the clock, not a person, so they are not in the table; they run under the
activity's lock and only from the state they expect.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from bot.core.states import Refused, StateMachine, move
from bot.roles import Role
from storage import activities
from storage.statuses import ActivityStatus, SignupState


class ActivityAction(StrEnum):
    SIGN_UP = "sign_up"  # join, leave, take an offered place
    CHECK_IN = "check_in"  # a member's own, in the window around the start
    LIST = "list"  # who is going (when the list is public)
    POST = "post"  # to the bound groups: on creation, or a weekly repeat
    EDIT = "edit"
    CANCEL = "cancel"
    ROSTER = "roster"  # the cadres' list and its exports
    MANAGE = "manage"  # a cadre checks someone in or takes them off the list


OPEN = (ActivityStatus.OPEN,)
ACTIVITY_STATES = StateMachine(
    "activity",
    ActivityStatus,
    [
        move(ActivityAction.SIGN_UP, OPEN, role=Role.MEMBER),
        move(ActivityAction.CHECK_IN, OPEN, role=Role.MEMBER),
        move(ActivityAction.LIST, OPEN, role=Role.MEMBER),
        move(ActivityAction.POST, OPEN),
        move(ActivityAction.EDIT, OPEN),
        move(ActivityAction.CANCEL, OPEN, ActivityStatus.CANCELLED),
        move(ActivityAction.ROSTER, ActivityStatus),
        move(ActivityAction.MANAGE, OPEN),
    ],
)


class SignupAction(StrEnum):
    JOIN = "join"  # the place, or the next in the queue: the capacity decides which
    LEAVE = "leave"
    TAKE = "take"
    CHECK_IN = "check_in"
    MARK_PRESENT = "mark_present"  # a cadre checks the member in
    REMOVE = "remove"  # a cadre takes the member off the list, with a reason


HOLDING = activities.HOLDING  # confirmed or offered: these take a place
CONCERNED = (*HOLDING, SignupState.WAITLISTED)  # these hear of a change
SIGNUP_STATES = StateMachine(
    "sign-up",
    SignupState,
    [
        move(SignupAction.JOIN, [SignupState.CANCELLED], role=Role.MEMBER),
        move(SignupAction.LEAVE, CONCERNED, SignupState.CANCELLED, role=Role.MEMBER),
        move(SignupAction.TAKE, [SignupState.OFFERED], SignupState.CONFIRMED, role=Role.MEMBER),
        move(SignupAction.CHECK_IN, [SignupState.CONFIRMED], role=Role.MEMBER),
        move(SignupAction.MARK_PRESENT, HOLDING),
        move(SignupAction.REMOVE, CONCERNED, SignupState.CANCELLED),
    ],
)

# What a refused move says, in the words of the button that asked for it.
ACTIVITY_REFUSED = "act_unknown"  # the only status that refuses anything is 'cancelled'
SIGNUP_REFUSED = {
    SignupAction.JOIN: "act_join_already",
    SignupAction.LEAVE: "act_leave_not_in",
    SignupAction.TAKE: "act_take_expired",
    SignupAction.CHECK_IN: "act_check_in_not_signed",
    SignupAction.MARK_PRESENT: "act_signup_gone",
    SignupAction.REMOVE: "act_signup_gone",
}
# A place already confirmed: a second 确认参加 is not an expired offer.
TAKEN_ALREADY = "act_join_already"

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


def _check(table: StateMachine[S, A], status: S, action: A, role: Role, refused: str) -> S:
    try:
        return table.check(status, action, role)
    except Refused as refusal:
        if refusal.key == "action_not_allowed":
            raise Refused(refused) from None
        raise


def check_activity(status: ActivityStatus, action: ActivityAction, role: Role) -> ActivityStatus:
    """The status after `action`, or Refused (the activity is cancelled; the role too low)."""
    return _check(ACTIVITY_STATES, status, action, role, ACTIVITY_REFUSED)


def check_signup(state: SignupState, action: SignupAction, role: Role) -> SignupState:
    """The state after `action`, or Refused in the words of the button that asked."""
    refused = SIGNUP_REFUSED[action]
    if action == SignupAction.TAKE and state == SignupState.CONFIRMED:
        refused = TAKEN_ALREADY
    return _check(SIGNUP_STATES, state, action, role, refused)
