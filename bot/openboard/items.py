"""公示 items: a cadre's free text shown on the open board for a period (the /openadd
conversation), and withdrawing one early. Telegram-free; never commits.

An item's life is one table: shown → withdrawn (a cadre's); its period ends by the clock,
not by a move, so nothing has to run for an item to leave the board on time."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.core.states import Refused, StateMachine, move
from bot.core.when import WhenError, normalise, parse_when
from bot.roles import Role
from storage import open_board
from storage.models import Member, OpenItem
from storage.open_board_models import OPEN_ITEM_MAX
from storage.statuses import OpenItemStatus

MAX_DAYS = 90
TEXT_LIMIT = OPEN_ITEM_MAX  # the longest item (the table's column), for the prompt
_DAYS = re.compile(r"^(?P<n>\d{1,3}) ?(?:天|days?)$")  # 7日 is a date, not a length
_TIME_ONLY = re.compile(r"[\d :：点时分半刻钟]*")
_WEEKS = re.compile(r"^(?P<n>\d{1,2}) ?(?:周|个?星期|个?礼拜|weeks?)$")


class ItemAction(StrEnum):
    WITHDRAW = "withdraw"


ITEM_STATES = StateMachine(
    "open item",
    OpenItemStatus,
    [move(ItemAction.WITHDRAW, [OpenItemStatus.SHOWN], OpenItemStatus.WITHDRAWN)],
)


class ItemStep(IntEnum):
    TEXT = 1
    UNTIL = 2


class ItemDraft(BaseModel):
    text: str = ""


ITEM_FORM = Flow(
    "open_item", role=Role.CADRE, steps=ItemStep, data=ItemDraft, cancelled="cancel_open_add"
)
State = FlowState[ItemStep, ItemDraft]


def give_text(state: State, text: str | None) -> Accepted[ItemStep, ItemDraft] | Rejected:
    """The item's words: on to its period."""
    cleaned = (text or "").strip()
    if not cleaned:
        return Rejected("open_add_empty")
    if len(cleaned) > TEXT_LIMIT:
        return Rejected("open_add_too_long", {"length": len(cleaned), "max": TEXT_LIMIT})
    return Accepted(ItemStep.UNTIL, state.data.model_copy(update={"text": cleaned}))


def _end_of(day: datetime, zone: ZoneInfo) -> datetime:
    """The end of that local day (the item is shown through the whole last day)."""
    local = day.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(local, time(0, 0), tzinfo=zone)


def last_day(ends_at: datetime, zone: ZoneInfo) -> date:
    """The last day an item is shown (its end is the midnight after it)."""
    return (ends_at.astimezone(zone) - timedelta(seconds=1)).date()


def parse_until(text: str, *, now: datetime, zone: ZoneInfo) -> datetime | Rejected:
    """The end of the display period: a day as cadres type it (12月9日, 2026-12-09, 下周五,
    the same parser as notices' times) or a length (7天, 2周); through that whole day."""
    cleaned = normalise(text)
    length = _DAYS.match(cleaned) or _WEEKS.match(cleaned)
    if length is not None:
        days = int(length["n"]) * (7 if _WEEKS.match(cleaned) else 1)
        if not 1 <= days <= MAX_DAYS:
            return Rejected("open_add_bad_until")
        return _end_of(now + timedelta(days=days - 1), zone)
    if _TIME_ONLY.fullmatch(cleaned):
        return Rejected("open_add_bad_until")  # a time of day (or nothing) names no day
    # A day without a time means all of it: ask the shared parser for its last minute.
    moment = parse_when(cleaned + " 23:59", now=now, zone=zone)
    if isinstance(moment, WhenError):
        return Rejected("open_add_past" if moment.key == "when_past" else "open_add_bad_until")
    return _end_of(moment, zone)


def example_until(now: datetime, zone: ZoneInfo) -> str:
    """A date a week from today, as a cadre would type it (a prompt never shows a past day)."""
    day = now.astimezone(zone).date() + timedelta(days=7)
    return f"{day.month}月{day.day}日"


async def add_item(
    session: AsyncSession, *, text: str, until: datetime, author: Member | None, now: datetime
) -> OpenItem:
    """Put the item on the board from now until `until`."""
    return await open_board.add_item(
        session,
        text=text,
        starts_at=now,
        ends_at=until,
        author_member_id=author.id if author is not None else None,
        created_at=now,
    )


async def withdraw_item(
    session: AsyncSession, item_id: int, *, role: Role, now: datetime
) -> OpenItem:
    """Take the item off the board now, once (Refused if it is gone already)."""
    item = await open_board.get_item(session, item_id)
    if item is None:
        raise Refused("open_withdraw_gone")
    try:
        ITEM_STATES.check(item.status, ItemAction.WITHDRAW, role)
    except Refused as refused:
        if refused.key == "action_not_allowed":
            raise Refused("open_withdraw_gone") from None
        raise
    if item.ends_at <= now or not await open_board.withdraw(session, item, now=now):
        raise Refused("open_withdraw_gone")
    return item
