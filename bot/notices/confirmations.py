"""「收到」: a member's confirmation, counted once, and the live count in their group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.states import Refused
from bot.delivery import live_counts
from bot.delivery.live_counts import LiveText
from bot.delivery.outgoing import OutKind
from bot.notices.release import ack_keyboard, build_parts, count_line
from bot.notices.states import NOTICE_STATES, NoticeAction
from bot.roles import Role
from bot.strings import Lang
from storage import groups, notices
from storage.models import Member, Notice, Outbox


@dataclass(frozen=True)
class Confirmation:
    new: bool
    notice: Notice | None
    # Not in the notice's audience (registered or moved since): nothing to count.
    outside: bool = False


async def confirm(
    session: AsyncSession,
    *,
    notice_id: int,
    member: Member,
    now: datetime,
    union: str,
    group_lang: Lang,
    interval: timedelta,
) -> Confirmation:
    """Record a 「收到」 once, and queue the count edit of the group(s) of the member's
    department — the only counts this confirmation changes."""
    notice = await notices.get(session, notice_id)
    if notice is None or not notice.require_ack:
        return Confirmation(False, None)
    try:
        NOTICE_STATES.check(notice.status, NoticeAction.CONFIRM, Role.MEMBER)
    except Refused:
        return Confirmation(False, None)
    assert member.id is not None
    department = await notices.audience_department(
        session, notice_id=notice_id, member_id=member.id
    )
    if department is None:
        return Confirmation(False, notice, outside=True)
    if not await notices.confirm(session, notice_id=notice_id, member_id=member.id, now=now):
        return Confirmation(False, notice)
    chats = {group.chat_id for group in await groups.bound(session, departments=[department])}
    posts = await live_counts.group_posts(
        session, ref_id=notice_id, kind=OutKind.NOTICE, chats=chats
    )

    async def render(post: Outbox) -> LiveText:
        confirmed, total = await notices.department_counts(
            session, notice_id=notice_id, department=department
        )
        footer = count_line(group_lang, confirmed, total)
        last = build_parts(notice, group_lang, union=union, footer=footer)[-1]
        caption = last.photo is not None or last.document is not None
        return LiveText(last.text, ack_keyboard(notice_id, group_lang), caption)

    await live_counts.refresh(session, posts, render, now=now, interval=interval)
    return Confirmation(True, notice)
