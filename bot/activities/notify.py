"""Messages to members about their sign-up: the confirmation of a place (with the activity
as a calendar file), an offered place, a change, a cancellation, a reminder. Each goes
through the outbox under its own key, so it is queued once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.invite import attachment
from bot.activities.states import CONCERNED
from bot.config import Config
from bot.core.keyboard import Keyboard
from bot.delivery import keys
from bot.delivery.keys import OutboxKey
from bot.delivery.outgoing import Outgoing, OutKind, Part, Upload, enqueue
from bot.strings import Html, Lang, normalise_lang, t
from storage import activities
from storage.models import Activity, Member, Signup


def local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%m-%d %H:%M") if moment else ""


def to_member(
    key: OutboxKey,
    member: Member,
    text: str,
    *,
    markup: Keyboard | None = None,
    not_before: datetime | None = None,
    upload: Upload | None = None,
) -> Outgoing | None:
    """A private message to a member the bot can reach (None: it cannot); with `upload`,
    the text is the caption of that file."""
    if member.telegram_id is None or not member.active:
        return None
    if upload is not None:
        return Outgoing(
            key,
            OutKind.ACTIVITY,
            member.telegram_id,
            (Part(text, upload=upload),),
            markup,
            member_id=member.id,
            not_before=not_before,
        )
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


async def invitation(
    session: AsyncSession,
    activity: Activity,
    *,
    zone: ZoneInfo,
    now: datetime,
    cancelled: bool = False,
) -> Upload:
    """The activity's calendar file as it is now (its SEQUENCE counts the changes so far)."""
    assert activity.id is not None
    sequence = await activities.changes(session, activity.id)
    return attachment(activity, zone=zone, sequence=sequence, stamp=now, cancelled=cancelled)


async def confirm(
    session: AsyncSession,
    activity: Activity,
    signup: Signup,
    member: Member,
    *,
    now: datetime,
    config: Config,
) -> int:
    """A place is the member's (signed up, or an offered place taken): a private message
    with the time, the place and when to check in, and the activity as a calendar file."""
    assert activity.id is not None and signup.id is not None
    zone = config.union.zone
    text = t(
        normalise_lang(member.language),
        "act_confirmed_private",
        title=activity.title,
        with_guests=_with_guests(signup.guests, normalise_lang(member.language)),
        when=local(activity.starts_at, zone),
        until=activity.ends_at.astimezone(zone).strftime("%H:%M"),
        place=activity.place,
        minutes=config.activities.check_in_minutes,
    )
    upload = await invitation(session, activity, zone=zone, now=now)
    key = keys.activity_confirmed(activity.id, signup.id, now)
    return await send(session, [to_member(key, member, text, upload=upload)], now=now)


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
    (`key` names each sign-up's message), with the calendar file that updates or cancels
    the entry the confirmation added."""
    assert activity.id is not None
    cancelled = text_key == "act_cancelled"
    upload = await invitation(session, activity, zone=zone, now=now, cancelled=cancelled)
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
        messages.append(to_member(key(signup.id), member, text, upload=upload))
    return await send(session, messages, now=now)


def _with_guests(guests: int, lang: Lang) -> Html:
    """「（带家属 1 位）」 after the title when the place includes family members."""
    return t(lang, "act_confirmed_guests", guests=guests) if guests else Html("")
