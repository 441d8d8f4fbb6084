"""The care buttons: the /lifeevent form, the /hardship checklist, and the chair's approval
of a visit over the cap (`cv:ok:<id>`, the form the chair's messages already carry)."""

from __future__ import annotations

from enum import StrEnum

from bot.care.kinds import CareEvent
from bot.core.callbacks import CallbackData


class EventKindPress(CallbackData, prefix="lek"):
    event: CareEvent


class EventWhoPress(CallbackData, prefix="lew"):
    """Whose event: the member's own, or a colleague's."""

    own: bool


class EventSharePress(CallbackData, prefix="les"):
    """Whether a wedding or a birth may be congratulated in the group."""

    share: bool


class EventFinish(CallbackData, prefix="lef"):
    send: bool


class DocumentPress(CallbackData, prefix="hdd"):
    """Tick or untick a hardship document (by its place in the union's list)."""

    index: int


class HardshipFinish(CallbackData, prefix="hdf"):
    send: bool


class VisitVerb(StrEnum):
    APPROVE = "ok"


class VisitPress(CallbackData, prefix="cv"):
    """The chair approves a visit over the cap (a reason is asked for)."""

    verb: VisitVerb
    visit_id: int
