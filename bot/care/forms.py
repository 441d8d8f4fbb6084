"""The care conversations: /lifeevent, /hardship, a cadre recording a visit, and the chair
approving one over the cap — their steps, what each collects, and what each answer means
(pure: every step function returns Accepted or Rejected)."""

from __future__ import annotations

import re
from enum import IntEnum

from pydantic import BaseModel, Field

from bot.care.events import ANNOUNCEMENTS
from bot.care.kinds import CareEvent
from bot.cases.written import CardAt
from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.roles import Role

NAME_MAX = 32
EXPIRED = Rejected("button_expired")
_AMOUNT = re.compile(r"^\s*(\d{1,7})\s*(?:元)?\s*(.*)$", re.S)


class EventStep(IntEnum):
    KIND = 1
    WHO = 2
    NAME = 3
    DETAILS = 4
    SHARE = 5
    CONFIRM = 6


class EventDraft(BaseModel):
    event: CareEvent = CareEvent.ILLNESS
    subject: str = ""
    details: str = ""
    share: bool = False


class HardshipStep(IntEnum):
    DETAILS = 1
    DOCUMENTS = 2


class HardshipDraft(BaseModel):
    details: str = ""
    documents: list[int] = Field(default_factory=list)


class OneStep(IntEnum):
    TEXT = 1


class VisitDraft(BaseModel):
    case_id: int
    card: CardAt | None = None


class ApprovalDraft(BaseModel):
    visit_id: int


EVENT_FORM = Flow(
    "life_event", role=Role.MEMBER, steps=EventStep, data=EventDraft, cancelled="cancel_life_event"
)
HARDSHIP_FORM = Flow(
    "hardship",
    role=Role.MEMBER,
    steps=HardshipStep,
    data=HardshipDraft,
    cancelled="cancel_hardship",
)
VISIT_FORM = Flow(
    "visit", role=Role.CADRE, steps=OneStep, data=VisitDraft, cancelled="cancel_visit"
)
APPROVAL_FORM = Flow(
    "visit_approve",
    role=Role.ADMIN,
    steps=OneStep,
    data=ApprovalDraft,
    cancelled="cancel_visit_approval",
)
EventState = FlowState[EventStep, EventDraft]
EventOutcome = Accepted[EventStep, EventDraft] | Rejected
HardshipState = FlowState[HardshipStep, HardshipDraft]
HardshipOutcome = Accepted[HardshipStep, HardshipDraft] | Rejected


def choose_event(state: EventState, event: CareEvent) -> EventOutcome:
    if state.step != EventStep.KIND:
        return EXPIRED
    return Accepted(EventStep.WHO, state.data.model_copy(update={"event": event}))


def choose_who(state: EventState, *, own: bool, name: str) -> EventOutcome:
    """The member's own event (their name is the subject), or a colleague's (asked next)."""
    if state.step != EventStep.WHO:
        return EXPIRED
    if own:
        return Accepted(EventStep.DETAILS, state.data.model_copy(update={"subject": name}))
    return Accepted(EventStep.NAME, state.data)


def give_text(state: EventState, text: str) -> EventOutcome:
    """A colleague's name, or the when and where; only a wedding or a birth asks whether it
    may be shared (the others never are)."""
    text = text.strip()
    if state.step not in (EventStep.NAME, EventStep.DETAILS):
        return Rejected("use_buttons")
    if not text:
        return Rejected("text_expected")
    if state.step == EventStep.NAME:
        return Accepted(
            EventStep.DETAILS, state.data.model_copy(update={"subject": text[:NAME_MAX]})
        )
    draft = state.data.model_copy(update={"details": text, "share": False})
    return Accepted(EventStep.SHARE if draft.event in ANNOUNCEMENTS else EventStep.CONFIRM, draft)


def choose_share(state: EventState, share: bool) -> EventOutcome:
    if state.step != EventStep.SHARE:
        return EXPIRED
    return Accepted(EventStep.CONFIRM, state.data.model_copy(update={"share": share}))


def give_hardship(state: HardshipState, text: str) -> HardshipOutcome:
    if state.step != HardshipStep.DETAILS:
        return Rejected("use_buttons")
    if not text.strip():
        return Rejected("text_expected")
    return Accepted(HardshipStep.DOCUMENTS, state.data.model_copy(update={"details": text.strip()}))


def toggle_document(state: HardshipState, index: int, documents: list[str]) -> HardshipOutcome:
    if state.step != HardshipStep.DOCUMENTS or not 0 <= index < len(documents):
        return EXPIRED
    ticked = sorted(set(state.data.documents) ^ {index})
    return Accepted(state.step, state.data.model_copy(update={"documents": ticked}))


def parse_visit(text: str) -> tuple[int, str] | Rejected:
    """'500 水果和慰问金' -> (500, '水果和慰问金')."""
    match = _AMOUNT.match(text)
    if match is None:
        return Rejected("visit_bad")
    return int(match.group(1)), match.group(2).strip()


def give_reason(text: str) -> str | Rejected:
    return text.strip() or Rejected("visit_reason")
