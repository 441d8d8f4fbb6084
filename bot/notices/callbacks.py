"""The notices' buttons: the /notice form, 「收到」, receipts and scheduled notices."""

from __future__ import annotations

from enum import StrEnum

from bot.core.callbacks import CallbackData
from storage.statuses import NoticeTarget


class Scope(StrEnum):
    ALL = "all"
    DEPARTMENTS = "dept"


class TargetPress(CallbackData, prefix="ntg"):
    """Who the notice is for: groups, members or both; everyone or chosen departments."""

    target: NoticeTarget
    scope: Scope


class DepartmentPress(CallbackData, prefix="ntd"):
    """Tick or untick one department (by its place in the union's list)."""

    index: int


class DepartmentsDone(CallbackData, prefix="ntdd"):
    pass


class AckChoice(CallbackData, prefix="nta"):
    required: bool


class PinChoice(CallbackData, prefix="ntp"):
    pin: bool


class SendNow(CallbackData, prefix="ntn"):
    pass


class Finish(StrEnum):
    SEND = "send"
    REDO = "redo"
    CANCEL = "cancel"


class FinishPress(CallbackData, prefix="ntf"):
    action: Finish


class PreviewAck(CallbackData, prefix="ntx"):
    """The 「收到」 under a preview: it only says it is a preview."""


class AckPress(CallbackData, prefix="ack"):
    """A member's 「收到」 under a notice, in a group or in private."""

    notice_id: int


class ReceiptAction(StrEnum):
    OPEN = "open"
    SHOW = "show"
    REMIND = "remind"


class ReceiptPress(CallbackData, prefix="rc"):
    """Open or refresh a notice's receipt, or remind the unconfirmed. `rounds` is how many
    reminder rounds had gone when the button was drawn: a press reminds only if no round
    went since, so two presses in flight remind once."""

    action: ReceiptAction
    notice_id: int
    rounds: int = 0


class ScheduledAction(StrEnum):
    TIME = "time"
    TEXT = "text"
    CANCEL = "cancel"


class ScheduledPress(CallbackData, prefix="sch"):
    action: ScheduledAction
    notice_id: int
