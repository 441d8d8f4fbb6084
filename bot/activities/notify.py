"""Messages to members about their sign-up: an offered place, a change, a cancellation, a
reminder. Each goes through the outbox under its own key, so it is queued once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.states import CONCERNED
from bot.core.keyboard import Keyboard
from bot.delivery.keys import OutboxKey
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.strings import normalise_lang, t
from storage import activities
from storage.models import Activity, Member


def local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%m-%d %H:%M") if moment else ""


def to_member(
    key: OutboxKey,
    member: Member,
    text: str,
    *,
    markup: Keyboard | None = None,
    not_before: datetime | None = None,
) -> Outgoing | None:
    """A private message to a member the bot can reach (None: it cannot)."""
    if member.telegram_id is None or not member.active:
        return None
    return Outgoing.text(
        key,
        OutKind.ACTIVITY,
        member.telegram_id,
        text,
        markup=markup,
        member_id=member.id,
        not_before=not_before,
    )


async def send(session: AsyncSession, messages: list[Outgoing | None], *, now: datetime) -> int:
    return await enqueue(session, [m for m in messages if m is not None], now=now)


async def tell_everyone(
    session: AsyncSession,
    activity: Activity,
    *,
    text_key: str,
    key: Callable[[int], OutboxKey],
    now: datetime,
    zone: ZoneInfo,
) -> int:
    """A change of time or place, or a cancellation: everyone signed up or waiting hears it
    (`key` names each sign-up's message)."""
    assert activity.id is not None
    messages = []
    for signup, member in await activities.signups(session, activity.id, states=CONCERNED):
        assert signup.id is not None
        text = t(
            normalise_lang(member.language),
            text_key,
            title=activity.title,
            when=local(activity.starts_at, zone),
            place=activity.place,
        )
        messages.append(to_member(key(signup.id), member, text))
    return await send(session, messages, now=now)
