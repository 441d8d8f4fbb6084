"""A case's life, one table per kind: the statuses (storage.statuses.CaseStatus), the actions
allowed from each, where each leads and the role it needs.

The services enforce these tables whoever asks (a desk button, a forged callback, later the
console); the desk draws its buttons from them. Reporter actions (adding information, rating)
need a member's role here and, in the service, ownership of the case.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.states import StateMachine, move
from bot.roles import Role
from storage.statuses import CaseKind, CaseStatus


class CaseAction(StrEnum):
    VIEW = "view"  # open the case card
    ACK = "ack"  # 受理: the cadre who accepts an unassigned case becomes its assignee
    PROGRESS = "progress"
    STUDY = "study"
    ADOPT = "adopt"
    RESOLVE = "resolve"
    APPROVE = "approve"  # the chair's
    PUBLISH = "publish"  # post an adopted suggestion to the groups
    REPLY = "reply"
    ASK = "ask"
    ASSIGN = "assign"
    VISIT = "visit"
    KBSAVE = "kbsave"  # save a consultation's answer to the knowledge base
    ESCALATE = "escalate"
    REJECT = "reject"
    DECLINE = "decline"
    ADD = "add"  # the reporter adds information
    SATISFIED = "satisfied"  # the reporter rates the outcome: closes the case
    UNSATISFIED = "unsatisfied"  # …or reopens it for the chair
    SIGN = "sign"  # a member co-signs a published suggestion


S = CaseStatus
A = CaseAction
EVERY = tuple(CaseStatus)
MEMBER = Role.MEMBER

# Statuses in which each kind is still being handled.
GRIEVANCE_OPEN = (S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.ESCALATED)
TAKEN_UP = (S.SUBMITTED, S.ACKNOWLEDGED, S.ESCALATED)  # consultations and life events
HARDSHIP_OPEN = (S.SUBMITTED, S.ACKNOWLEDGED)
SUGGESTION_OPEN = (S.SUBMITTED, S.ACKNOWLEDGED, S.UNDER_STUDY)

GRIEVANCE = StateMachine(
    "grievance",
    CaseStatus,
    [
        move(A.VIEW, EVERY),
        move(A.ACK, [S.SUBMITTED], S.ACKNOWLEDGED),
        move(A.PROGRESS, [S.ACKNOWLEDGED, S.ESCALATED], S.IN_PROGRESS),
        move(A.RESOLVE, GRIEVANCE_OPEN, S.RESOLVED),
        move(A.REPLY, [*GRIEVANCE_OPEN, S.RESOLVED, S.CLOSED, S.REJECTED]),
        move(A.ASK, GRIEVANCE_OPEN),
        move(A.ASSIGN, GRIEVANCE_OPEN),
        move(A.ESCALATE, [S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS], S.ESCALATED),
        move(A.REJECT, [S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS], S.REJECTED),
        move(A.ADD, [*GRIEVANCE_OPEN, S.RESOLVED], role=MEMBER),
        move(A.SATISFIED, [S.RESOLVED], S.CLOSED, role=MEMBER),
        move(A.UNSATISFIED, [S.RESOLVED], S.ESCALATED, role=MEMBER),
    ],
)

CONSULTATION = StateMachine(
    "consultation",
    CaseStatus,
    [
        move(A.VIEW, EVERY),
        move(A.ACK, [S.SUBMITTED], S.ACKNOWLEDGED),
        move(A.RESOLVE, TAKEN_UP, S.RESOLVED),
        move(A.REPLY, [*TAKEN_UP, S.RESOLVED, S.CLOSED]),
        move(A.ASSIGN, TAKEN_UP),
        move(A.KBSAVE, [*TAKEN_UP, S.RESOLVED, S.CLOSED]),
        move(A.ADD, [*TAKEN_UP, S.RESOLVED], role=MEMBER),
        move(A.SATISFIED, [S.RESOLVED], S.CLOSED, role=MEMBER),
        move(A.UNSATISFIED, [S.RESOLVED], S.ESCALATED, role=MEMBER),
    ],
)

LIFE_EVENT = StateMachine(
    "life_event",
    CaseStatus,
    [
        move(A.VIEW, EVERY),
        move(A.ACK, [S.SUBMITTED], S.ACKNOWLEDGED),
        move(A.RESOLVE, TAKEN_UP, S.RESOLVED),
        move(A.REPLY, [*TAKEN_UP, S.RESOLVED, S.CLOSED]),
        move(A.ASSIGN, TAKEN_UP),
        move(A.VISIT, TAKEN_UP),
        move(A.ADD, [*TAKEN_UP, S.RESOLVED], role=MEMBER),
        move(A.SATISFIED, [S.RESOLVED], S.CLOSED, role=MEMBER),
        move(A.UNSATISFIED, [S.RESOLVED], S.ESCALATED, role=MEMBER),
    ],
)

HARDSHIP = StateMachine(
    "hardship",
    CaseStatus,
    [
        move(A.VIEW, EVERY),
        move(A.ACK, [S.SUBMITTED], S.ACKNOWLEDGED),
        move(A.APPROVE, HARDSHIP_OPEN, S.APPROVED, role=Role.ADMIN),
        move(A.REPLY, [*HARDSHIP_OPEN, S.APPROVED, S.REJECTED]),
        move(A.ASK, [*HARDSHIP_OPEN, S.APPROVED]),  # the yearly re-check may ask for papers
        move(A.ASSIGN, HARDSHIP_OPEN),
        move(A.REJECT, HARDSHIP_OPEN, S.REJECTED),
        move(A.ADD, [*HARDSHIP_OPEN, S.APPROVED], role=MEMBER),
    ],
)

SUGGESTION = StateMachine(
    "suggestion",
    CaseStatus,
    [
        move(A.VIEW, EVERY),
        move(A.ACK, [S.SUBMITTED], S.ACKNOWLEDGED),
        move(A.STUDY, [S.SUBMITTED, S.ACKNOWLEDGED], S.UNDER_STUDY),
        move(A.ADOPT, SUGGESTION_OPEN, S.ADOPTED),
        move(A.PUBLISH, [S.ADOPTED], S.PUBLISHED),
        move(A.REPLY, [*SUGGESTION_OPEN, S.ADOPTED, S.PUBLISHED, S.DECLINED]),
        move(A.DECLINE, SUGGESTION_OPEN, S.DECLINED),
        move(A.ADD, [*SUGGESTION_OPEN, S.ADOPTED, S.PUBLISHED], role=MEMBER),
        move(A.SIGN, [S.PUBLISHED], role=MEMBER),
    ],
)

TABLES: dict[CaseKind, StateMachine[CaseStatus, CaseAction]] = {
    CaseKind.GRIEVANCE: GRIEVANCE,
    CaseKind.CONSULTATION: CONSULTATION,
    CaseKind.LIFE_EVENT: LIFE_EVENT,
    CaseKind.HARDSHIP: HARDSHIP,
    CaseKind.SUGGESTION: SUGGESTION,
}

# Where a move closes the case (an anonymous reporter's link goes with it).
CLOSING = frozenset({S.CLOSED, S.REJECTED, S.DECLINED})
# Actions that need a few written words from the cadre (asked for after the press).
WRITTEN = frozenset({A.REPLY, A.ASK, A.ESCALATE, A.RESOLVE, A.REJECT, A.DECLINE})
# The desk's buttons, row by row: moving the case on, talking and people, turning it away.
DESK_ROWS: tuple[tuple[CaseAction, ...], ...] = (
    (A.ACK, A.PROGRESS, A.STUDY, A.ADOPT, A.RESOLVE, A.APPROVE, A.PUBLISH),
    (A.REPLY, A.ASK, A.ASSIGN, A.VISIT, A.KBSAVE),
    (A.ESCALATE, A.REJECT, A.DECLINE),
)
DESK_ACTIONS = frozenset(action for row in DESK_ROWS for action in row)
ROW_WIDTH = 3


def table_for(kind: CaseKind) -> StateMachine[CaseStatus, CaseAction]:
    return TABLES[kind]


def desk_rows(kind: CaseKind, status: CaseStatus, role: Role) -> list[list[CaseAction]]:
    """The desk's buttons for this case and this cadre, at most three to a row."""
    allowed = set(table_for(kind).available(status, role))
    rows: list[list[CaseAction]] = []
    for group in DESK_ROWS:
        shown = [action for action in group if action in allowed]
        rows += [shown[i : i + ROW_WIDTH] for i in range(0, len(shown), ROW_WIDTH)]
    return rows
