"""A notice's life: scheduled → sending (released) → sent; or cancelled before it goes."""

from __future__ import annotations

from enum import StrEnum

from bot.core.states import StateMachine, move
from bot.roles import Role
from storage.statuses import NoticeStatus


class NoticeAction(StrEnum):
    RELEASE = "release"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    REWRITE = "rewrite"
    CONFIRM = "confirm"
    REMIND = "remind"


OUT = (NoticeStatus.SENDING, NoticeStatus.SENT)
NOTICE_STATES = StateMachine(
    "notice",
    NoticeStatus,
    [
        move(NoticeAction.RELEASE, [NoticeStatus.SCHEDULED], NoticeStatus.SENDING),
        move(NoticeAction.CANCEL, [NoticeStatus.SCHEDULED], NoticeStatus.CANCELLED),
        move(NoticeAction.RESCHEDULE, [NoticeStatus.SCHEDULED]),
        move(NoticeAction.REWRITE, [NoticeStatus.SCHEDULED]),
        move(NoticeAction.CONFIRM, OUT, role=Role.MEMBER),
        move(NoticeAction.REMIND, OUT),
    ],
)
