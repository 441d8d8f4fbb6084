"""Activities: sign-up with capacity and a fair waitlist, offers that pass on, reminders,
weekly repeats, changes told to everyone concerned, check-in. Telegram-free; messages go
through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.posts import post, was_posted
from bot.config import Config
from bot.members.quiet_hours import held_until
from bot.strings import normalise_lang, t
from storage import activities, outbox
from storage.models import Activity, Member, Signup
from storage.statuses import SignupState

CHECK_IN_BEFORE = timedelta(minutes=30)
CONCERNED = ("confirmed", "offered", "waitlisted")


@dataclass(frozen=True)
class JoinResult:
    state: str  # confirmed, waitlisted, already, closed, not_eligible
    position: int = 0


def eligible(activity: Activity, member: Member) -> bool:
    return activity.departments is None or member.department in activity.departments


def is_open(activity: Activity, now: datetime) -> bool:
    return activity.status == "open" and now < activity.deadline


async def join(
    session: AsyncSession, *, activity_id: int, member: Member, now: datetime, guests: int = 0
) -> JoinResult:
    """Take a place, or the next place in the queue. The activity row is locked first, so
    racing presses are counted one at a time; a second press finds the first one's row."""
    activity = await activities.lock(session, activity_id)
    if activity is None or not is_open(activity, now):
        return JoinResult("closed")
    if not eligible(activity, member):
        return JoinResult("not_eligible")
    assert member.id is not None
    existing = await activities.signup_of(session, activity_id=activity_id, member_id=member.id)
    if existing is not None and existing.state != SignupState.CANCELLED:
        return JoinResult("already", await _position(session, existing))
    guests = max(0, min(guests, activity.guests_max))
    taken = await activities.places_taken(session, activity_id)
    full = activity.capacity is not None and taken + 1 + guests > activity.capacity
    state = SignupState.WAITLISTED if full else SignupState.CONFIRMED
    if existing is None:
        existing = Signup(
            activity_id=activity_id, member_id=member.id, guests=guests, state=state, created_at=now
        )
    else:  # signing up again after cancelling: to the back of the queue
        existing.state, existing.guests, existing.created_at = state, guests, now
    await activities.save(session, existing)
    return JoinResult(state, await _position(session, existing) if full else 0)


async def _position(session: AsyncSession, signup: Signup) -> int:
    if signup.state != SignupState.WAITLISTED:
        return 0
    queue = await activities.signups(session, signup.activity_id, states=("waitlisted",))
    return next((n for n, (s, _) in enumerate(queue, 1) if s.id == signup.id), 0)


async def leave(
    session: AsyncSession, *, activity_id: int, member: Member, now: datetime, config: Config
) -> str:
    """Give up a place (or a place in the queue); the first in the queue is offered it."""
    activity = await activities.lock(session, activity_id)
    if activity is None or not is_open(activity, now):
        return "closed"
    assert member.id is not None
    signup = await activities.signup_of(session, activity_id=activity_id, member_id=member.id)
    if signup is None or signup.state == SignupState.CANCELLED:
        return "not_in"
    had_place = signup.state in activities.HOLDING
    signup.state = SignupState.CANCELLED
    await activities.save(session, signup)
    if had_place:
        await offer_next(session, activity, now=now, config=config)
    return "left"


async def offer_next(
    session: AsyncSession, activity: Activity, *, now: datetime, config: Config
) -> None:
    """While places are free, offer them to the queue in order, each for the configured window."""
    assert activity.id is not None
    queue = await activities.signups(session, activity.id, states=("waitlisted",))
    for signup, member in queue:
        taken = await activities.places_taken(session, activity.id)
        if activity.capacity is not None and taken + 1 + signup.guests > activity.capacity:
            return
        window = timedelta(hours=config.activities.offer_hours)
        signup.state, signup.offered_until = (
            SignupState.OFFERED,
            min(now + window, activity.deadline),
        )
        await activities.save(session, signup)
        lang = normalise_lang(member.language)
        text = t(
            lang,
            "act_offer",
            title=activity.title,
            until=_local(signup.offered_until, config.union.zone),
        )
        markup = {
            "inline_keyboard": [
                [{"text": t(lang, "btn_act_take"), "callback_data": f"ac:take:{activity.id}"}]
            ]
        }
        await _send(
            session,
            f"activity:{activity.id}:offer:{signup.id}:{now.isoformat()}",
            member,
            text,
            now=now,
            markup=markup,
        )


async def take(session: AsyncSession, *, activity_id: int, member: Member, now: datetime) -> str:
    """Accept an offered place before the offer runs out."""
    assert member.id is not None
    signup = await activities.signup_of(session, activity_id=activity_id, member_id=member.id)
    if (
        signup is None
        or signup.state != SignupState.OFFERED
        or (signup.offered_until and signup.offered_until < now)
    ):
        return "expired"
    signup.state, signup.offered_until = SignupState.CONFIRMED, None
    await activities.save(session, signup)
    return "confirmed"


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%m-%d %H:%M") if moment else ""


async def _send(
    session: AsyncSession,
    key: str,
    member: Member,
    text: str,
    *,
    now: datetime,
    markup: dict[str, Any] | None = None,
    not_before: datetime | None = None,
) -> None:
    if member.telegram_id is None or not member.active:
        return
    payload: dict[str, Any] = {"parts": [{"text": text}]}
    if markup:
        payload["markup"] = markup
    row = {
        "key": key,
        "kind": "activity",
        "chat_id": member.telegram_id,
        "member_id": member.id,
        "payload": payload,
        "not_before": not_before or now,
    }
    await outbox.enqueue(session, [row], now=now)


async def tell_everyone(
    session: AsyncSession,
    activity: Activity,
    *,
    text_key: str,
    change: str,
    now: datetime,
    config: Config,
) -> None:
    """A change of time or place, or a cancellation: everyone signed up or queued hears it."""
    assert activity.id is not None
    for signup, member in await activities.signups(session, activity.id, states=CONCERNED):
        lang = normalise_lang(member.language)
        text = t(
            lang,
            text_key,
            title=activity.title,
            when=_local(activity.starts_at, config.union.zone),
            place=activity.place,
        )
        await _send(session, f"activity:{activity.id}:{change}:{signup.id}", member, text, now=now)


async def tick(session: AsyncSession, *, now: datetime, config: Config) -> None:
    """Expired offers pass on; reminders go the day and the hour before; weekly activities
    get next week's instance once this week's has started."""
    for signup in await activities.expired_offers(session, now=now):
        signup.state, signup.offered_until = SignupState.CANCELLED, None
        await activities.save(session, signup)
        activity = await activities.get(session, signup.activity_id)
        if activity is not None:
            await offer_next(session, activity, now=now, config=config)
    for activity in await activities.upcoming(session, now=now, limit=200):
        assert activity.id is not None
        for hours in config.activities.remind_before_hours:
            if activity.starts_at - timedelta(hours=hours) <= now < activity.starts_at:
                for signup, member in await activities.signups(
                    session, activity.id, states=("confirmed",)
                ):
                    lang = normalise_lang(member.language)
                    name = "day" if hours >= 24 else "hour"
                    text = t(
                        lang,
                        f"act_remind_{name}",
                        title=activity.title,
                        when=_local(activity.starts_at, config.union.zone),
                        place=activity.place,
                    )
                    key = f"activity:{activity.id}:remind:{hours}h:{signup.id}"
                    due = held_until(now, member.quiet_start, member.quiet_end, config.union.zone)
                    await _send(session, key, member, text, now=now, not_before=due)
    for activity in await activities.started_weekly(session, now=now):
        following = await next_week(session, activity)
        if following is not None and await was_posted(session, activity):
            await post(
                session,
                following,
                lang=config.union.default_language,
                zone=config.union.zone,
                now=now,
            )


async def next_week(session: AsyncSession, activity: Activity) -> Activity | None:
    """Next week's instance of a weekly activity, created once."""
    assert activity.id is not None
    series = activity.series_id or activity.id
    week = timedelta(days=7)
    if await activities.in_series_at(
        session, series_id=series, starts_at=activity.starts_at + week
    ):
        return None
    fields = {
        name: getattr(activity, name)
        for name in (
            "title",
            "description",
            "place",
            "capacity",
            "departments",
            "guests_max",
            "list_visible",
            "weekly",
            "created_by",
            "created_at",
        )
    }
    return await activities.add(
        session,
        **fields,
        starts_at=activity.starts_at + week,
        ends_at=activity.ends_at + week,
        deadline=activity.deadline + week,
        series_id=series,
    )


async def check_in(
    session: AsyncSession, *, activity_id: int, member: Member, now: datetime
) -> str:
    """A member taps 「签到」 in the window around the start."""
    activity = await activities.get(session, activity_id)
    if activity is None or not activity.starts_at - CHECK_IN_BEFORE <= now <= activity.ends_at:
        return "check_in_closed"
    assert member.id is not None
    signup = await activities.signup_of(session, activity_id=activity_id, member_id=member.id)
    if signup is None or signup.state != SignupState.CONFIRMED:
        return "check_in_not_signed"
    if signup.checked_in_at is None:
        signup.checked_in_at = now
        await activities.save(session, signup)
    return "checked_in"
