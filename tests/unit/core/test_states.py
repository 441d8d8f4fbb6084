"""The state-machine table: what it allows, what it refuses and why."""

from enum import StrEnum

import pytest

from bot.core.states import Refused, StateMachine, move
from bot.roles import Role


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"


class Act(StrEnum):
    CLOSE = "close"
    NOTE = "note"
    PURGE = "purge"


TABLE = StateMachine(
    "sample",
    Status,
    [
        move(Act.CLOSE, [Status.OPEN], Status.DONE),
        move(Act.NOTE, [Status.OPEN, Status.DONE]),
        move(Act.PURGE, [Status.DONE], Status.OPEN, role=Role.ADMIN),
    ],
)


def test_allowed_moves_lead_where_the_table_says() -> None:
    assert TABLE.check(Status.OPEN, Act.CLOSE, Role.CADRE) == Status.DONE
    assert TABLE.check(Status.DONE, Act.NOTE, Role.CADRE) == Status.DONE
    assert TABLE.check(Status.DONE, Act.PURGE, Role.ADMIN) == Status.OPEN


def test_refusals_name_the_reason() -> None:
    with pytest.raises(Refused) as wrong_status:
        TABLE.check(Status.DONE, Act.CLOSE, Role.ADMIN)
    assert wrong_status.value.key == "action_not_allowed"
    with pytest.raises(Refused) as wrong_role:
        TABLE.check(Status.DONE, Act.PURGE, Role.CADRE)
    assert wrong_role.value.key == "admin_only"
    with pytest.raises(Refused) as member:
        TABLE.check(Status.OPEN, Act.CLOSE, Role.MEMBER)
    assert member.value.key == "not_allowed"


def test_available_lists_what_a_role_may_do_in_declared_order() -> None:
    assert TABLE.available(Status.OPEN, Role.CADRE) == (Act.CLOSE, Act.NOTE)
    assert TABLE.available(Status.DONE, Role.CADRE) == (Act.NOTE,)
    assert TABLE.available(Status.DONE, Role.ADMIN) == (Act.NOTE, Act.PURGE)
    assert TABLE.available(Status.OPEN, Role.MEMBER) == ()


def test_an_action_is_declared_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        StateMachine("dup", Status, [move(Act.NOTE, [Status.OPEN]), move(Act.NOTE, [Status.DONE])])
