"""The /report and /suggest forms: their steps, the draft they collect, and what each answer
means (pure: every step function returns Accepted or Rejected).

A suggestion is a report of its own kind that skips the category; each is its own Flow, so
/cancel says which was dropped.
"""

from __future__ import annotations

from enum import IntEnum

from pydantic import BaseModel, Field

from bot.cases.identity import Identity
from bot.core.attachments import Attachment, Content
from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.roles import Role
from storage.statuses import CaseKind


class ReportStep(IntEnum):
    CATEGORY = 1
    DETAILS = 2
    IDENTITY = 3
    CONFIRM = 4


class ReportDraft(BaseModel):
    kind: CaseKind = CaseKind.GRIEVANCE
    category: str = ""
    text: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
    identity: Identity = Identity.NAMED


REPORT_FORM = Flow(
    "report", role=Role.MEMBER, steps=ReportStep, data=ReportDraft, cancelled="cancel_report"
)
SUGGEST_FORM = Flow(
    "suggest", role=Role.MEMBER, steps=ReportStep, data=ReportDraft, cancelled="cancel_suggestion"
)
FORMS = (REPORT_FORM, SUGGEST_FORM)
State = FlowState[ReportStep, ReportDraft]
Outcome = Accepted[ReportStep, ReportDraft] | Rejected
EXPIRED = Rejected("button_expired")


def form_for(kind: CaseKind) -> Flow[ReportStep, ReportDraft]:
    return SUGGEST_FORM if kind == CaseKind.SUGGESTION else REPORT_FORM


def suggestion(category: str) -> ReportDraft:
    """A suggestion's draft: its category is fixed, so it starts at the details."""
    return ReportDraft(kind=CaseKind.SUGGESTION, category=category)


def choose_category(state: State, index: int, categories: list[str]) -> Outcome:
    if state.step != ReportStep.CATEGORY or not 0 <= index < len(categories):
        return EXPIRED
    draft = state.data.model_copy(update={"category": categories[index]})
    return Accepted(ReportStep.DETAILS, draft)


def give_details(state: State, content: Content | None, *, limit: int) -> Outcome:
    """Text (several messages are joined), photos or documents; the form stays here."""
    if state.step != ReportStep.DETAILS:
        return Rejected("use_buttons")
    if content is None:
        return Rejected("report_unsupported")
    draft = state.data
    text = draft.text
    if content.text.strip():
        text = (draft.text + "\n\n" + content.text).strip()
    if len(text) > limit:
        return Rejected("report_too_long", {"limit": limit, "kept": len(draft.text)})
    attachments = draft.attachments + ([content.attachment] if content.attachment else [])
    update = {"text": text, "attachments": attachments}
    return Accepted(ReportStep.DETAILS, draft.model_copy(update=update))


def details_done(state: State) -> Outcome:
    if state.step != ReportStep.DETAILS:
        return EXPIRED
    if not state.data.text.strip() and not state.data.attachments:
        return Rejected("report_empty")
    return Accepted(ReportStep.IDENTITY, state.data)


def choose_identity(state: State, identity: Identity) -> Outcome:
    if state.step != ReportStep.IDENTITY:
        return EXPIRED
    return Accepted(ReportStep.CONFIRM, state.data.model_copy(update={"identity": identity}))
