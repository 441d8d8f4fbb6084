"""A care visit's life: recorded within its cap, or pending (over the cap) until the chair
approves it with a reason."""

from __future__ import annotations

from enum import StrEnum

from bot.core.states import StateMachine, move
from bot.roles import Role
from storage.statuses import VisitStatus


class VisitAction(StrEnum):
    APPROVE = "approve"


VISIT_STATES = StateMachine(
    "visit",
    VisitStatus,
    [move(VisitAction.APPROVE, [VisitStatus.PENDING], VisitStatus.APPROVED, role=Role.ADMIN)],
)
