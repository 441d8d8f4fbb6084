"""The cases' buttons: the report form, the cadres' desk and a reporter's own case.

`cd:<action>:<id>` (the desk) and `cs:add:<id>` keep the form of the messages already sent
through the outbox, so their buttons still work after an upgrade.
"""

from __future__ import annotations

from enum import StrEnum

from bot.cases.identity import Identity
from bot.cases.states import CaseAction
from bot.core.callbacks import CallbackData


class CategoryPress(CallbackData, prefix="rpc"):
    """A report's category, by its place in the union's list."""

    index: int


class DetailsDone(CallbackData, prefix="rpd"):
    """「写好了」: the report's details are complete."""


class IdentityPress(CallbackData, prefix="rpi"):
    identity: Identity


class ReportFinish(CallbackData, prefix="rpf"):
    """Submit the report (or suggestion), or drop it."""

    send: bool


class DeskPress(CallbackData, prefix="cd"):
    """An action on a case from the desk (open its card, accept it, reply, …)."""

    action: CaseAction
    case_id: int


class DeskList(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


class DeskListPress(CallbackData, prefix="cdl"):
    which: DeskList


class AssignPress(CallbackData, prefix="cdt"):
    """Assign the case to a cadre (their member id); None goes back to the card."""

    case_id: int
    cadre_id: int | None = None


class ReporterAction(StrEnum):
    OPEN = "my"
    ADD = "add"


class ReporterPress(CallbackData, prefix="cs"):
    """A reporter opens their own case or adds information to it."""

    action: ReporterAction
    case_id: int


class RatePress(CallbackData, prefix="csr"):
    """A reporter rates how their resolved case was handled."""

    case_id: int
    satisfied: bool
