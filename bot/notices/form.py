"""The /notice form: its steps, the draft it collects, and what each answer means
(Telegram-free and pure: every step function returns Accepted or Rejected)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.core.attachments import Attachment, Content
from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.core.when import WhenError, parse_when
from bot.notices.callbacks import Scope
from bot.roles import Role
from storage.statuses import NoticeTarget


class NoticeStep(IntEnum):
    CONTENT = 1
    TARGET = 2
    DEPARTMENTS = 3
    ACK = 4
    PIN = 5
    WHEN = 6
    PREVIEW = 7


class NoticeDraft(BaseModel):
    text: str = ""
    attachment: Attachment | None = None
    target: NoticeTarget = NoticeTarget.GROUPS
    departments: list[str] | None = None  # None: every department
    ack: bool = False
    pin: bool = False
    when: datetime | None = None  # None: now


NOTICE_FORM = Flow(
    "notice", role=Role.CADRE, steps=NoticeStep, data=NoticeDraft, cancelled="cancel_notice"
)
State = FlowState[NoticeStep, NoticeDraft]
Outcome = Accepted[NoticeStep, NoticeDraft] | Rejected
EXPIRED = Rejected("button_expired")


def after(step: NoticeStep, draft: NoticeDraft) -> NoticeStep:
    """The next question, skipping the department and pin questions where they do not apply."""
    if step == NoticeStep.CONTENT:
        return NoticeStep.TARGET
    if step == NoticeStep.TARGET:
        return NoticeStep.DEPARTMENTS if draft.departments is not None else NoticeStep.ACK
    if step == NoticeStep.DEPARTMENTS:
        return NoticeStep.ACK
    if step == NoticeStep.ACK:
        return NoticeStep.WHEN if draft.target == NoticeTarget.MEMBERS else NoticeStep.PIN
    if step == NoticeStep.PIN:
        return NoticeStep.WHEN
    return NoticeStep.PREVIEW


def _next(state: State, draft: NoticeDraft) -> Outcome:
    return Accepted(after(state.step, draft), draft)


def give_content(state: State, content: Content | None) -> Outcome:
    if state.step != NoticeStep.CONTENT:
        return Rejected("use_buttons")
    if content is None:
        return Rejected("notice_unsupported")
    if content.empty:
        return Rejected("notice_empty")
    draft = state.data.model_copy(update={"text": content.text, "attachment": content.attachment})
    return _next(state, draft)


def choose_target(state: State, target: NoticeTarget, scope: Scope) -> Outcome:
    if state.step != NoticeStep.TARGET:
        return EXPIRED
    departments: list[str] | None = [] if scope == Scope.DEPARTMENTS else None
    draft = state.data.model_copy(update={"target": target, "departments": departments})
    return _next(state, draft)


def toggle_department(state: State, index: int, departments: list[str]) -> Outcome:
    """Tick or untick a department; the form stays at this step."""
    if state.step != NoticeStep.DEPARTMENTS or not 0 <= index < len(departments):
        return EXPIRED
    chosen = set(state.data.departments or [])
    chosen ^= {departments[index]}
    ordered = [name for name in departments if name in chosen]
    return Accepted(state.step, state.data.model_copy(update={"departments": ordered}))


def departments_done(state: State) -> Outcome:
    if state.step != NoticeStep.DEPARTMENTS:
        return EXPIRED
    if not state.data.departments:
        return Rejected("notice_pick_department")
    return _next(state, state.data)


def choose_ack(state: State, required: bool) -> Outcome:
    if state.step != NoticeStep.ACK:
        return EXPIRED
    return _next(state, state.data.model_copy(update={"ack": required}))


def choose_pin(state: State, pin: bool) -> Outcome:
    if state.step != NoticeStep.PIN:
        return EXPIRED
    return _next(state, state.data.model_copy(update={"pin": pin}))


def send_now(state: State) -> Outcome:
    if state.step != NoticeStep.WHEN:
        return EXPIRED
    return Accepted(NoticeStep.PREVIEW, state.data.model_copy(update={"when": None}))


def give_time(state: State, text: str | None, *, now: datetime, zone: ZoneInfo) -> Outcome:
    if state.step != NoticeStep.WHEN:
        return Rejected("use_buttons")
    moment = accept_when(text, now=now, zone=zone)
    if isinstance(moment, Rejected):
        return moment
    return Accepted(NoticeStep.PREVIEW, state.data.model_copy(update={"when": moment}))


def accept_when(text: str | None, *, now: datetime, zone: ZoneInfo) -> datetime | Rejected:
    """A time the cadre typed, or why it will not do."""
    if not text:
        return Rejected("when_bad_format")
    moment = parse_when(text, now=now, zone=zone)
    return Rejected(moment.key) if isinstance(moment, WhenError) else moment
