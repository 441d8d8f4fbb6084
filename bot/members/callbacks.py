"""The members' buttons: the profile form (registration and one-field edits), /me, /forget,
/quiet, cadre appointments and binding a workshop group to its department."""

from __future__ import annotations

from enum import StrEnum

from bot.core.callbacks import CallbackData


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class DepartmentChoice(CallbackData, prefix="pfd"):
    """A department, by its place in the union's list."""

    index: int


class SkipBirthday(CallbackData, prefix="pfskip"):
    pass


class ShareChoice(CallbackData, prefix="pfsh"):
    """Whether the birthday may be greeted in the workshop group."""

    share: bool


class YearChoice(CallbackData, prefix="pfyr"):
    """Whether the birth year stays hidden (no age in the greeting)."""

    hide: bool


class LanguageChoice(CallbackData, prefix="pflang"):
    language: Language


class ConfirmPress(CallbackData, prefix="pfok"):
    """✅ under the registration summary."""


class RedoPress(CallbackData, prefix="pfredo"):
    """Start the registration over."""


class ProfileField(StrEnum):
    NAME = "name"
    DEPARTMENT = "dept"
    BIRTHDAY = "bday"
    SHARE = "share"
    YEAR = "year"
    LANGUAGE = "lang"


class EditPress(CallbackData, prefix="pfedit"):
    """Change one part of the profile (under /me and /birthday)."""

    field: ProfileField


class ForgetChoice(StrEnum):
    ASK = "ask"
    YES = "yes"
    NO = "no"


class ForgetPress(CallbackData, prefix="forget"):
    choice: ForgetChoice


class QuietPreset(StrEnum):
    NIGHT = "night"
    LATE = "late"
    DAY = "day"  # for the night shift, who sleep by day
    OFF = "off"


class QuietPress(CallbackData, prefix="quiet"):
    preset: QuietPreset


class CadreAction(StrEnum):
    REMOVE = "rm"


class CadrePress(CallbackData, prefix="cadre"):
    """An admin's 「撤销」 beside a cadre in /cadre (the payload keeps its old form)."""

    action: CadreAction
    member_id: int


class GroupAction(StrEnum):
    BIND = "bind"


class BindPress(CallbackData, prefix="grp"):
    """A department under /bindgroup, in the group (the payload keeps the form messages
    already in groups carry: grp:bind:<index>)."""

    action: GroupAction
    index: int
