"""Reading notices for the cadres' lists (Telegram-free)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.states import Refused
from bot.notices.states import OUT
from storage import notices
from storage.models import Notice
from storage.statuses import NoticeStatus


async def recent_notices(session: AsyncSession, *, limit: int) -> list[Notice]:
    """Notices that have gone out, newest first."""
    return await notices.recent(session, limit=limit)


async def sent_notice(session: AsyncSession, notice_id: int) -> Notice:
    """A notice that has gone out (Refused, as an expired button, otherwise)."""
    notice = await notices.get(session, notice_id)
    if notice is None or notice.status not in OUT:
        raise Refused("button_expired")
    return notice


async def board_notice(session: AsyncSession, notice_id: int) -> Notice:
    """A notice whose receipts board may be opened: one that has gone out, or is going out
    (scheduled, not cancelled); Refused otherwise."""
    notice = await notices.get(session, notice_id)
    if notice is None or notice.status == NoticeStatus.CANCELLED:
        raise Refused("button_expired")
    return notice


async def waiting_notices(session: AsyncSession) -> list[Notice]:
    """Notices scheduled and not yet gone, soonest first."""
    return await notices.scheduled(session)
