"""Reminding members who have not pressed 「收到」: rounds on a timer, or a cadre's press.

A round is counted before it is queued, and only from the count it was asked from, so two
presses in flight (or two instances ticking) send one round; each round's keys are its own,
so a round is sent at most once. A member whose copy of the notice is still waiting to go out
(held by their quiet hours, or behind a backlog) is left out of the round: the reminder would
otherwise arrive together with the notice it reminds of."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.day_window import held_until
from bot.core.states import Refused
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.notices.release import ack_keyboard, build_parts
from bot.notices.states import NOTICE_STATES, NoticeAction
from bot.roles import Role
from bot.strings import LANGUAGES, normalise_lang, t
from storage import notices, outbox
from storage.models import Member, Notice
from storage.statuses import OutboxKind

# A cadre's press after a round queued within this long is refused: a member is not reminded
# twice in a few minutes because 「提醒」 was pressed again (the timer's rounds are apart anyway).
MANUAL_GAP = timedelta(hours=1)


async def remind(
    session: AsyncSession,
    notice: Notice,
    *,
    seen: int,
    now: datetime,
    zone: ZoneInfo,
    union: str,
    role: Role = Role.CADRE,
    round_number: int | None = None,
    night: tuple[int, int] | None = None,
) -> int:
    """Queue one reminder round to every member of the audience who has not confirmed, if
    `seen` rounds had gone (else Refused: someone reminded a moment ago). A late timer gives
    the `round_number` that is due: the rounds it missed count as gone, and one goes out.
    A member who set no quiet hours gets theirs after `night` ([notices] reminder_night).
    Returns how many reminders were queued."""
    assert notice.id is not None
    NOTICE_STATES.check(notice.status, NoticeAction.REMIND, role)
    if round_number is None and seen > 0:
        last = await outbox.last_queued(session, kind=OutboxKind.REMINDER, ref_id=notice.id)
        if last is not None and now - last < MANUAL_GAP:
            raise Refused("reminders_too_soon")
    round_number = seen + 1 if round_number is None else max(round_number, seen + 1)
    if not notice.require_ack or not await notices.advance_rounds(
        session, notice.id, seen=seen, to=round_number
    ):
        raise Refused("reminders_already_sent")
    parts_in = {
        lang: build_parts(notice, lang, union=union, lead=t(lang, "reminder_intro"))
        for lang in LANGUAGES
    }
    done = await notices.confirmed_ids(session, notice.id)
    waiting = await _copies_waiting(session, notice.id)
    messages = []
    for member, _ in await notices.audience(session, notice.id):
        if member.id in done or member.id in waiting:
            continue
        if member.telegram_id is None or not member.active:
            continue
        assert member.id is not None
        lang = normalise_lang(member.language)
        messages.append(
            Outgoing(
                keys.notice_reminder(notice.id, round_number, member.id),
                OutKind.REMINDER,
                member.telegram_id,
                tuple(parts_in[lang]),
                ack_keyboard(notice.id, lang),
                member_id=member.id,
                ref_id=notice.id,
                not_before=_after_quiet(member, night, now, zone),
            )
        )
    return await enqueue(session, messages, now=now)


async def _copies_waiting(session: AsyncSession, notice_id: int) -> set[int]:
    """Members whose own copy of the notice has not gone out yet."""
    rows = await outbox.deliveries(session, ref_id=notice_id, kinds=[OutKind.NOTICE])
    return {
        member_id
        for member_id, _, status, _ in rows
        if member_id is not None and status in (outbox.PENDING, outbox.SENDING)
    }


def _after_quiet(
    member: Member, night: tuple[int, int] | None, now: datetime, zone: ZoneInfo
) -> datetime:
    """Now, or when the member's quiet hours end (the union's night when they set none)."""
    start, end = (member.quiet_start, member.quiet_end)
    if start is None or end is None:
        start, end = night or (None, None)
    return held_until(now, start, end, zone) or now
