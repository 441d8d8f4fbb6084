"""The activities' conversations: /newactivity, changing an activity's details, and taking
someone off the list with a reason. Their steps, what each collects, and what each answer
means (pure: every step function returns Accepted or Rejected)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.activities.template import ActivityDraft, deadline_given, read_template
from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.roles import Role


class NewStep(IntEnum):
    TEMPLATE = 1  # waiting for the filled-in template
    CONFIRM = 2  # the preview is shown: post it, create it, or drop it


class NewActivity(BaseModel):
    draft: ActivityDraft | None = None


NEW_ACTIVITY = Flow(
    "activity_new",
    role=Role.CADRE,
    steps=NewStep,
    data=NewActivity,
    cancelled="cancel_newactivity",
)


class EditStep(IntEnum):
    TEMPLATE = 1


class ActivityEdit(BaseModel):
    activity_id: int
    draft: ActivityDraft | None = None
    current: str = ""  # the activity as a filled-in template when the edit began
    closed_at: datetime | None = None  # its sign-up deadline, if that had passed by then


EDIT_ACTIVITY = Flow(
    "activity_edit",
    role=Role.CADRE,
    steps=EditStep,
    data=ActivityEdit,
    cancelled="cancel_activity_edit",
)


class RemoveStep(IntEnum):
    REASON = 1


class Removal(BaseModel):
    activity_id: int
    signup_id: int
    reason: str = ""


REMOVE_SIGNUP = Flow(
    "activity_remove",
    role=Role.CADRE,
    steps=RemoveStep,
    data=Removal,
    cancelled="cancel_activity_remove",
)


def give_template(
    state: FlowState[NewStep, NewActivity],
    text: str | None,
    *,
    now: datetime,
    zone: ZoneInfo,
    departments: list[str],
) -> Accepted[NewStep, NewActivity] | Rejected:
    """The filled-in template: on to the preview. A corrected one sent at the preview
    replaces the draft."""
    draft = read_template(text or "", now=now, zone=zone, departments=departments)
    if isinstance(draft, Rejected):
        return draft
    return Accepted(NewStep.CONFIRM, state.data.model_copy(update={"draft": draft}))


def give_new_details(
    state: FlowState[EditStep, ActivityEdit],
    text: str | None,
    *,
    now: datetime,
    zone: ZoneInfo,
    departments: list[str],
) -> Accepted[EditStep, ActivityEdit] | Rejected:
    """The activity's new details, in the same template; a line left out keeps what the
    activity had (only the changed lines need sending). The step stays (it is the last)."""
    merged = state.data.current + "\n" + (text or "")
    draft = read_template(merged, now=now, zone=zone, departments=departments)
    if isinstance(draft, Rejected):
        return draft
    if state.data.closed_at is not None and not deadline_given(text or ""):
        draft = draft.model_copy(update={"deadline": state.data.closed_at})  # stays closed
    return Accepted(state.step, state.data.model_copy(update={"draft": draft}))


def give_reason(
    state: FlowState[RemoveStep, Removal], text: str | None
) -> Accepted[RemoveStep, Removal] | Rejected:
    """Why the member is taken off the list: it is kept on record, so it may not be empty."""
    reason = (text or "").strip()
    if not reason:
        return Rejected("act_remove_reason")
    return Accepted(state.step, state.data.model_copy(update={"reason": reason}))
