"""The activities' buttons: a member's presses under a post, the /newactivity form's last
question, and the cadres' roster."""

from __future__ import annotations

from enum import StrEnum

from bot.core.callbacks import CallbackData


class PostAction(StrEnum):
    """What a member asks for under an activity (its values are the old payloads' words)."""

    JOIN = "join"
    LEAVE = "leave"
    TAKE = "take"  # take a place offered from the waiting list
    CHECK_IN = "in"
    LIST = "list"


class PostPress(CallbackData, prefix="ac"):
    """报名 / 取消报名 / 确认参加 / 签到 / 名单. Packs as "ac:join:17", the form posts already in
    the groups carry, so they keep working."""

    action: PostAction
    activity_id: int


class GuestsPress(CallbackData, prefix="acg"):
    """报名+N位家属: sign up bringing `guests` family members."""

    activity_id: int
    guests: int


class NewActivityChoice(StrEnum):
    POST = "post"  # create it and post it to the bound groups
    CREATE = "ok"  # create it without posting
    DROP = "no"


class NewActivityPress(CallbackData, prefix="an"):
    choice: NewActivityChoice


class RosterPress(CallbackData, prefix="ar"):
    """Open an activity's roster (from the /roster list)."""

    activity_id: int


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportPress(CallbackData, prefix="arx"):
    activity_id: int
    file: ExportFormat


class EditPress(CallbackData, prefix="are"):
    """Change an activity's details (the template again)."""

    activity_id: int


class CancelPress(CallbackData, prefix="arc"):
    """Cancel an activity: everyone signed up or waiting is told."""

    activity_id: int


class AttendPress(CallbackData, prefix="ari"):
    """A cadre checks someone in."""

    activity_id: int
    signup_id: int


class RemovePress(CallbackData, prefix="arr"):
    """A cadre takes someone off the list (a reason is asked for next)."""

    activity_id: int
    signup_id: int
