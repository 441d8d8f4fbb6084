"""The member profile form, shared by registration and /me's one-field edits: its steps, the
draft it collects, and what each answer means.

Telegram-free and pure: every step function returns Accepted (the next step and the new
draft) or Rejected (a catalogue message). Registration walks every step; an edit is one step
of the same form, saved as soon as it is answered.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import IntEnum

from pydantic import BaseModel

from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.greetings.birthday_dates import Birthday, BirthdayError, CalendarKind, parse_birthday
from bot.members.callbacks import Language, ProfileField
from bot.roles import Role
from bot.strings import Lang, normalise_lang

NAME_MAX = 32
_NAME_OK = re.compile(r"^[\w·・.\- ]+$")


class ProfileStep(IntEnum):
    # The numbers are stored with a conversation in progress: keep them.
    NAME = 1
    DEPARTMENT = 2
    BIRTHDAY = 3
    SHARE = 4
    HIDE_YEAR = 5
    LANGUAGE = 6
    CONFIRM = 7


class BirthdayDraft(BaseModel):
    kind: CalendarKind
    month: int
    day: int
    leap: bool = False
    year: int | None = None

    @classmethod
    def of(cls, birthday: Birthday | None) -> BirthdayDraft | None:
        if birthday is None:
            return None
        return cls(
            kind=birthday.kind,
            month=birthday.month,
            day=birthday.day,
            leap=birthday.leap,
            year=birthday.year,
        )

    def birthday(self) -> Birthday:
        return Birthday(self.kind, self.month, self.day, self.leap, self.year)


class ProfileDraft(BaseModel):
    """What the form has collected (the field names are those stored before the port, so a
    registration in progress across an upgrade resumes)."""

    name: str | None = None
    department: str | None = None
    birthday: BirthdayDraft | None = None
    share_birthday: bool = False
    hide_year: bool = True
    language: Lang | None = None
    roster_id: int | None = None  # the roster row this worker is claiming
    start_over: bool = False  # a roster worker chose to answer every question


REGISTRATION = Flow(
    "register",
    role=Role.GUEST,
    steps=ProfileStep,
    data=ProfileDraft,
    cancelled="cancel_registration",
    language=lambda draft: draft.language,
)
PROFILE_EDIT = Flow(
    "edit", role=Role.MEMBER, steps=ProfileStep, data=ProfileDraft, cancelled="cancel_profile_edit"
)
State = FlowState[ProfileStep, ProfileDraft]
Outcome = Accepted[ProfileStep, ProfileDraft] | Rejected
EXPIRED = Rejected("button_expired")
EDITS = {
    ProfileField.NAME: ProfileStep.NAME,
    ProfileField.DEPARTMENT: ProfileStep.DEPARTMENT,
    ProfileField.BIRTHDAY: ProfileStep.BIRTHDAY,
    ProfileField.SHARE: ProfileStep.SHARE,
    ProfileField.YEAR: ProfileStep.HIDE_YEAR,
    ProfileField.LANGUAGE: ProfileStep.LANGUAGE,
}
TYPED = frozenset({ProfileStep.NAME, ProfileStep.DEPARTMENT, ProfileStep.BIRTHDAY})


def draft_lang(draft: ProfileDraft, fallback: Lang) -> Lang:
    """The language to talk in: the one chosen in the form, once chosen."""
    return normalise_lang(draft.language, fallback)


def clean_name(text: str) -> str | Rejected:
    name = " ".join(unicodedata.normalize("NFKC", text).split())
    if not name:
        return Rejected("name_empty")
    if len(name) > NAME_MAX:
        return Rejected("name_too_long", {"max": NAME_MAX})
    if not _NAME_OK.match(name) or name.replace(" ", "").isdigit():
        return Rejected("name_bad_chars")
    return name


def next_step(step: ProfileStep, draft: ProfileDraft) -> ProfileStep:
    """The step after this one in registration, skipping questions that no longer apply."""
    following = ProfileStep(step + 1) if step < ProfileStep.CONFIRM else ProfileStep.CONFIRM
    birthday = draft.birthday
    if following == ProfileStep.SHARE and birthday is None:
        return ProfileStep.LANGUAGE
    if following == ProfileStep.HIDE_YEAR and (birthday is None or birthday.year is None):
        return ProfileStep.LANGUAGE
    return following


def missing_for_confirm(draft: ProfileDraft) -> ProfileStep | None:
    """The first step a draft still lacks before it can be confirmed (a prefilled roster row)."""
    if not draft.name:
        return ProfileStep.NAME
    if not draft.department:
        return ProfileStep.DEPARTMENT
    if not draft.language:
        return ProfileStep.LANGUAGE
    return None


def after(step: ProfileStep, draft: ProfileDraft) -> ProfileStep:
    """Where registration goes next: a roster draft asks only for what it lacks (unless the
    worker chose to start over); otherwise every question in turn."""
    if draft.roster_id is not None and not draft.start_over:
        return missing_for_confirm(draft) or ProfileStep.CONFIRM
    return next_step(step, draft)


def _next(state: State, draft: ProfileDraft) -> Outcome:
    return Accepted(after(state.step, draft), draft)


def give_text(state: State, text: str | None, *, departments: list[str], today: date) -> Outcome:
    """What a typed answer means at this step (a sticker or photo is no answer)."""
    if text is None:
        return Rejected("text_expected")
    if state.step == ProfileStep.NAME:
        name = clean_name(text)
        if isinstance(name, Rejected):
            return name
        return _next(state, state.data.model_copy(update={"name": name}))
    if state.step == ProfileStep.DEPARTMENT:
        typed = text.strip()
        if typed not in departments:
            return Rejected("dept_use_buttons")
        return _next(state, state.data.model_copy(update={"department": typed}))
    if state.step == ProfileStep.BIRTHDAY:
        parsed = parse_birthday(text, today=today)
        if isinstance(parsed, BirthdayError):
            return Rejected(parsed.key, parsed.params)
        return _next(state, state.data.model_copy(update={"birthday": BirthdayDraft.of(parsed)}))
    return Rejected("use_buttons")


def choose_department(state: State, index: int, departments: list[str]) -> Outcome:
    if state.step != ProfileStep.DEPARTMENT or not 0 <= index < len(departments):
        return EXPIRED
    return _next(state, state.data.model_copy(update={"department": departments[index]}))


def skip_birthday(state: State) -> Outcome:
    if state.step != ProfileStep.BIRTHDAY:
        return EXPIRED
    update = {"birthday": None, "share_birthday": False, "hide_year": True}
    return _next(state, state.data.model_copy(update=update))


def choose_share(state: State, share: bool) -> Outcome:
    if state.step != ProfileStep.SHARE:
        return EXPIRED
    return _next(state, state.data.model_copy(update={"share_birthday": share}))


def choose_year(state: State, hide: bool) -> Outcome:
    if state.step != ProfileStep.HIDE_YEAR:
        return EXPIRED
    return _next(state, state.data.model_copy(update={"hide_year": hide}))


def choose_language(state: State, language: Language) -> Outcome:
    if state.step != ProfileStep.LANGUAGE:
        return EXPIRED
    return _next(state, state.data.model_copy(update={"language": language.value}))


def start_over(state: State) -> Outcome:
    """「重新填写」 under the summary: every question again, keeping the roster row and the
    language the worker reads."""
    if state.step != ProfileStep.CONFIRM:
        return EXPIRED
    draft = ProfileDraft(
        roster_id=state.data.roster_id, language=state.data.language, start_over=True
    )
    return Accepted(ProfileStep.NAME, draft)


def first_question(draft: ProfileDraft) -> ProfileStep:
    """Where a new registration starts: a roster draft at what it lacks (or the summary)."""
    if draft.roster_id is not None:
        return missing_for_confirm(draft) or ProfileStep.CONFIRM
    return ProfileStep.NAME
