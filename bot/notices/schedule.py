"""Notices waiting to go out: the minute tick releases them; cadres change or cancel them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.attachments import Content
from bot.core.states import Refused
from bot.notices.form import NoticeDraft
from bot.notices.release import release
from bot.notices.reminders import remind
from bot.notices.states import NOTICE_STATES, NoticeAction
from bot.roles import Role
from bot.strings import Lang
from storage import notices
from storage.models import Notice
from storage.statuses import NoticeStatus

# The name of the task that releases a notice sent "now" off the request's path (the chat's
# and the console's), so tests can wait for it.
RELEASE_TASK = "notice-release"


@dataclass(frozen=True)
class NoticePolicy:
    """From config: reminders to members who have not confirmed, and whether members of a
    department without a group get a notice to the groups privately."""

    remind_after: timedelta = timedelta(hours=2)
    remind_times: int = 1
    private_when_no_group: bool = True
    night: tuple[int, int] | None = (22 * 60, 7 * 60)  # [notices] reminder_night


def as_notice(draft: NoticeDraft, *, author: int, now: datetime) -> Notice:
    """The notice a form describes, not yet saved (previews render it)."""
    attachment = draft.attachment.model_dump(mode="json") if draft.attachment else None
    return Notice(
        author_telegram_id=author,
        text=draft.text,
        attachment=attachment,
        target=draft.target,
        departments=draft.departments,
        require_ack=draft.ack,
        pin=draft.pin,
        status=NoticeStatus.SCHEDULED,
        scheduled_at=draft.when or now,
        created_at=now,
    )


async def create(
    session: AsyncSession, draft: NoticeDraft, *, author: int, now: datetime
) -> Notice:
    """A notice from a finished form, scheduled for its time (now: released by the tick)."""
    notice = as_notice(draft, author=author, now=now)
    await notices.save(session, notice)
    return notice


async def _waiting(session: AsyncSession, notice_id: int, action: NoticeAction) -> Notice:
    notice = await notices.get(session, notice_id)
    if notice is None:
        raise Refused("scheduled_gone")
    try:
        NOTICE_STATES.check(notice.status, action, Role.CADRE)
    except Refused:
        raise Refused("scheduled_gone") from None
    return notice


async def cancel(session: AsyncSession, notice_id: int) -> None:
    """Cancel a notice that has not gone out (Refused if it has, or is gone)."""
    await _waiting(session, notice_id, NoticeAction.CANCEL)
    taken = await notices.take_if(
        session, notice_id, expected=NoticeStatus.SCHEDULED, new=NoticeStatus.CANCELLED
    )
    if not taken:
        raise Refused("scheduled_gone")


async def check_waiting(session: AsyncSession, notice_id: int, action: NoticeAction) -> None:
    """Refused unless the notice may still be changed this way."""
    await _waiting(session, notice_id, action)


async def reschedule(session: AsyncSession, notice_id: int, when: datetime) -> Notice:
    notice = await _waiting(session, notice_id, NoticeAction.RESCHEDULE)
    notice.scheduled_at = when
    await notices.save(session, notice)
    return notice


async def rewrite(session: AsyncSession, notice_id: int, content: Content) -> Notice:
    notice = await _waiting(session, notice_id, NoticeAction.REWRITE)
    notice.text = content.text
    notice.attachment = content.attachment.model_dump(mode="json") if content.attachment else None
    await notices.save(session, notice)
    return notice


async def rewrite_text(session: AsyncSession, notice_id: int, text: str) -> Notice:
    """New words for a waiting notice, keeping its photo or file (the console's edit)."""
    notice = await _waiting(session, notice_id, NoticeAction.REWRITE)
    notice.text = text
    await notices.save(session, notice)
    return notice


async def tick(
    session: AsyncSession,
    *,
    now: datetime,
    zone: ZoneInfo,
    union: str,
    group_lang: Lang,
    policy: NoticePolicy,
) -> int:
    """The minute job: release scheduled notices that are due, and send due reminders.
    Safe with several instances: a notice changes status only for the instance that takes it."""
    queued = 0
    for notice in await notices.due(session, now=now):
        assert notice.id is not None
        if await notices.take_if(
            session, notice.id, expected=NoticeStatus.SCHEDULED, new=NoticeStatus.SENDING
        ):
            found = await release(
                session,
                notice,
                now=now,
                zone=zone,
                union=union,
                group_lang=group_lang,
                private_when_no_group=policy.private_when_no_group,
            )
            queued += len(found.groups) + found.written
    for notice in await notices.awaiting_confirmation(session, rounds=policy.remind_times):
        if notice.released_at is None:
            continue
        # The rounds due by now; a tick that comes late (the bot was down, or busy) sends the
        # last of them once, rather than each missed round a minute after the other.
        due = min(policy.remind_times, (now - notice.released_at) // policy.remind_after)
        if due > notice.reminders_sent:
            try:
                queued += await remind(
                    session, notice, seen=notice.reminders_sent, now=now, zone=zone, union=union,
                    round_number=due, night=policy.night,
                )  # fmt: skip
            except Refused:
                continue  # another instance sent this round a moment ago
    return queued
