"""The activity, sign-up and vote tables: what each allows, to whom, and how a refusal is
worded for the button that asked."""

import pytest

from bot.activities.states import (
    ACTIVITY_STATES,
    SIGNUP_STATES,
    ActivityAction,
    SignupAction,
    check_activity,
    check_signup,
)
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import catalogue
from bot.votes.states import REFUSED, VOTE_STATES, VoteAction, check_vote
from storage.statuses import ActivityStatus, SignupState, VoteStatus


def test_a_cancelled_activity_is_only_read() -> None:
    assert ACTIVITY_STATES.available(ActivityStatus.CANCELLED, Role.ADMIN) == (
        ActivityAction.ROSTER,
    )
    assert ACTIVITY_STATES.available(ActivityStatus.OPEN, Role.MEMBER) == (
        ActivityAction.SIGN_UP,
        ActivityAction.CHECK_IN,
        ActivityAction.LIST,
    )
    assert check_activity(ActivityStatus.OPEN, ActivityAction.CANCEL, Role.CADRE) == (
        ActivityStatus.CANCELLED
    )
    with pytest.raises(Refused) as cancelled:
        check_activity(ActivityStatus.CANCELLED, ActivityAction.SIGN_UP, Role.MEMBER)
    assert cancelled.value.key == "act_unknown"
    with pytest.raises(Refused) as member:
        check_activity(ActivityStatus.OPEN, ActivityAction.EDIT, Role.MEMBER)
    assert member.value.key == "not_allowed"


def test_a_sign_up_moves_as_its_table_says() -> None:
    assert check_signup(SignupState.OFFERED, SignupAction.TAKE, Role.MEMBER) == (
        SignupState.CONFIRMED
    )
    assert check_signup(SignupState.WAITLISTED, SignupAction.LEAVE, Role.MEMBER) == (
        SignupState.CANCELLED
    )
    assert check_signup(SignupState.CANCELLED, SignupAction.JOIN, Role.MEMBER) == (
        SignupState.CANCELLED  # the capacity decides: confirmed or waitlisted
    )
    assert SIGNUP_STATES.available(SignupState.CONFIRMED, Role.MEMBER) == (
        SignupAction.LEAVE,
        SignupAction.CHECK_IN,
    )
    assert SIGNUP_STATES.available(SignupState.OFFERED, Role.CADRE) == (
        SignupAction.LEAVE,
        SignupAction.TAKE,
        SignupAction.MARK_PRESENT,
        SignupAction.REMOVE,
    )


@pytest.mark.parametrize(
    ("state", "action", "key"),
    [
        (SignupState.CONFIRMED, SignupAction.JOIN, "act_join_already"),
        (SignupState.WAITLISTED, SignupAction.JOIN, "act_join_already"),
        (SignupState.CANCELLED, SignupAction.LEAVE, "act_leave_not_in"),
        (SignupState.WAITLISTED, SignupAction.TAKE, "act_take_expired"),
        (SignupState.CONFIRMED, SignupAction.TAKE, "act_join_already"),  # a second tap
        (SignupState.OFFERED, SignupAction.CHECK_IN, "act_check_in_not_signed"),
        (SignupState.CANCELLED, SignupAction.REMOVE, "act_signup_gone"),
        (SignupState.WAITLISTED, SignupAction.MARK_PRESENT, "act_signup_gone"),
    ],
)
def test_sign_up_refusals_speak_for_their_button(
    state: SignupState, action: SignupAction, key: str
) -> None:
    with pytest.raises(Refused) as refused:
        check_signup(state, action, Role.ADMIN)
    assert refused.value.key == key and key in catalogue("zh")


def test_a_member_cannot_remove_anyone() -> None:
    with pytest.raises(Refused) as refused:
        check_signup(SignupState.CONFIRMED, SignupAction.REMOVE, Role.MEMBER)
    assert refused.value.key == "not_allowed"


def test_a_vote_is_cast_while_open_and_read_once_closed() -> None:
    assert VOTE_STATES.available(VoteStatus.OPEN, Role.MEMBER) == (VoteAction.CAST,)
    assert VOTE_STATES.available(VoteStatus.OPEN, Role.CADRE) == (
        VoteAction.CAST,
        VoteAction.CLOSE,
    )
    assert VOTE_STATES.available(VoteStatus.CLOSED, Role.ADMIN) == (VoteAction.RESULTS,)
    assert check_vote(VoteStatus.OPEN, VoteAction.CLOSE, Role.CADRE) == VoteStatus.CLOSED
    for action, key in REFUSED.items():
        assert key in catalogue("zh") and key in catalogue("en"), action
    with pytest.raises(Refused) as closed:
        check_vote(VoteStatus.CLOSED, VoteAction.CLOSE, Role.ADMIN)
    assert closed.value.key == "vote_already_closed"
    with pytest.raises(Refused) as member:
        check_vote(VoteStatus.OPEN, VoteAction.CLOSE, Role.MEMBER)
    assert member.value.key == "not_allowed"


def test_payloads_already_in_chats_still_parse() -> None:
    """Group posts and ballots sent before this version keep working."""
    from bot.activities.callbacks import PostAction, PostPress
    from bot.votes.callbacks import BallotPress, ballot

    assert PostPress.parse("ac:join:17") == PostPress(action=PostAction.JOIN, activity_id=17)
    assert PostPress(action=PostAction.CHECK_IN, activity_id=17).pack() == "ac:in:17"
    assert PostPress.parse("ac:take:3") is not None and PostPress.parse("ac:list:3") is not None
    assert BallotPress.parse("vt:cast:7:2") == ballot(7, 2)
    assert ballot(7, 2).pack() == "vt:cast:7:2"
