"""A member's presses under an activity: sign up (with family guests) under the capacity with
a fair waiting list, cancel (the place goes to the queue), take an offered place, check in,
and see who is going. Each checks the activity's and the sign-up's tables, and changes the
group posts' live count only when the count changed. Telegram-free."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.notify import confirm
from bot.activities.offers import offer_next
from bot.activities.posts import Counts, Live, check_in_open, counts, refresh_counts
from bot.activities.states import (
    HOLDING,
    ActivityAction,
    SignupAction,
    check_activity,
    check_signup,
)
from bot.config import Config
from bot.core.states import Refused
from bot.roles import Role
from storage import activities
from storage.models import Activity, Member, Signup
from storage.statuses import SignupState


@dataclass(frozen=True)
class Pressed:
    """What a press did: the answer (a catalogue key and its values), and the activity with
    its counts as they are now (to redraw the message that was pressed)."""

    key: str
    activity: Activity
    counts: Counts
    params: Mapping[str, str | int] = field(default_factory=dict)
    state: SignupState | None = None  # the presser's sign-up now (None: not signed up)


def eligible(activity: Activity, member: Member) -> bool:
    return activity.departments is None or member.department in activity.departments


async def _locked(session: AsyncSession, activity_id: int) -> Activity:
    activity = await activities.lock(session, activity_id)
    if activity is None:
        raise Refused("act_unknown")
    return activity


async def _mine(session: AsyncSession, activity_id: int, member: Member) -> Signup | None:
    assert member.id is not None
    return await activities.signup_of(session, activity_id=activity_id, member_id=member.id)


def _state(signup: Signup | None) -> SignupState:
    """No sign-up yet counts as a cancelled one: either may sign up."""
    return signup.state if signup is not None else SignupState.CANCELLED


async def _done(
    session: AsyncSession,
    key: str,
    activity: Activity,
    live: Live,
    state: SignupState | None,
    **params: str | int,
) -> Pressed:
    await refresh_counts(session, activity, live)
    assert activity.id is not None
    return Pressed(key, activity, await counts(session, activity.id), params, state)


async def join(
    session: AsyncSession,
    *,
    activity_id: int,
    member: Member,
    role: Role,
    live: Live,
    guests: int = 0,
) -> Pressed:
    """Take a place, or the next place in the queue. The activity row is locked first, so
    racing presses are counted one at a time; a second press finds the first one's row."""
    activity = await _locked(session, activity_id)
    check_activity(activity.status, ActivityAction.SIGN_UP, role)
    if live.now >= activity.deadline:
        raise Refused("act_join_closed")
    if not eligible(activity, member):
        raise Refused("act_join_not_eligible")
    existing = await _mine(session, activity_id, member)
    check_signup(_state(existing), SignupAction.JOIN, role)
    guests = max(0, min(guests, activity.guests_max))
    taken = await activities.places_taken(session, activity_id)
    full = activity.capacity is not None and taken + 1 + guests > activity.capacity
    state = SignupState.WAITLISTED if full else SignupState.CONFIRMED
    if existing is None:
        assert member.id is not None
        existing = Signup(activity_id=activity_id, member_id=member.id, created_at=live.now)
    existing.state, existing.guests = state, guests
    existing.created_at = live.now  # signing up again after cancelling: to the back
    await activities.save(session, existing)
    if not full:
        await confirm(session, activity, existing, member, now=live.now, config=live.config)
        return await _done(session, "act_join_confirmed", activity, live, state)
    position = await _position(session, existing)
    return await _done(session, "act_join_waitlisted", activity, live, state, position=position)


async def _position(session: AsyncSession, signup: Signup) -> int:
    queue = await activities.signups(session, signup.activity_id, states=(SignupState.WAITLISTED,))
    return next((n for n, (s, _) in enumerate(queue, 1) if s.id == signup.id), 0)


async def leave(
    session: AsyncSession, *, activity_id: int, member: Member, role: Role, live: Live
) -> Pressed:
    """Give up a place (or a place in the queue); the first in the queue is offered it."""
    activity = await _locked(session, activity_id)
    check_activity(activity.status, ActivityAction.SIGN_UP, role)
    if live.now >= activity.deadline:
        raise Refused("act_leave_closed")
    signup = await _mine(session, activity_id, member)
    check_signup(_state(signup), SignupAction.LEAVE, role)
    assert signup is not None
    had_place = signup.state in HOLDING
    signup.state = SignupState.CANCELLED
    await activities.save(session, signup)
    if had_place:
        await offer_next(session, activity, now=live.now, config=live.config)
    return await _done(session, "act_leave_left", activity, live, None)


async def take(
    session: AsyncSession, *, activity_id: int, member: Member, role: Role, live: Live
) -> Pressed:
    """Accept an offered place before the offer runs out."""
    activity = await _locked(session, activity_id)
    check_activity(activity.status, ActivityAction.SIGN_UP, role)
    signup = await _mine(session, activity_id, member)
    check_signup(_state(signup), SignupAction.TAKE, role)
    assert signup is not None
    if signup.offered_until is not None and signup.offered_until < live.now:
        raise Refused("act_take_expired")
    signup.state, signup.offered_until = SignupState.CONFIRMED, None
    await activities.save(session, signup)
    await confirm(session, activity, signup, member, now=live.now, config=live.config)
    return await _done(
        session, "act_take_confirmed", activity, live, signup.state, title=activity.title
    )


async def check_in(
    session: AsyncSession,
    *,
    activity_id: int,
    member: Member,
    role: Role,
    now: datetime,
    config: Config,
) -> Pressed:
    """A member taps 「签到」 from `[activities] check_in_minutes` before the start until the
    end (a second tap changes nothing)."""
    activity = await activities.get(session, activity_id)
    if activity is None:
        raise Refused("act_unknown")
    check_activity(activity.status, ActivityAction.CHECK_IN, role)
    if not check_in_open(activity, now, config):
        raise Refused("act_check_in_closed")
    signup = await _mine(session, activity_id, member)
    check_signup(_state(signup), SignupAction.CHECK_IN, role)
    assert signup is not None
    if signup.checked_in_at is None:
        signup.checked_in_at = now
        await activities.save(session, signup)
    counted = await counts(session, activity_id)
    return Pressed("act_checked_in", activity, counted, state=signup.state)


async def going(session: AsyncSession, *, activity_id: int, role: Role) -> list[tuple[str, int]]:
    """Who is going, and how many family members each brings — only if the activity's list
    is public (never for a singles' social)."""
    activity = await activities.get(session, activity_id)
    if activity is None:
        raise Refused("act_unknown")
    check_activity(activity.status, ActivityAction.LIST, role)
    if not activity.list_visible:
        raise Refused("act_list_hidden")
    confirmed = await activities.signups(session, activity_id, states=(SignupState.CONFIRMED,))
    return [(member.name, signup.guests) for signup, member in confirmed]


@dataclass(frozen=True)
class Listed:
    """An activity in a member's /activities: its counts, and where the member stands
    (their sign-up's state, None if not signed up; their place in the queue if waiting)."""

    activity: Activity
    counts: Counts
    state: SignupState | None = None
    position: int = 0


async def open_to(
    session: AsyncSession, member: Member, *, now: datetime, limit: int = 5
) -> list[Listed]:
    """Upcoming activities this member may join, with their counts and the member's own
    place — in the same few queries however many activities there are."""
    found = [a for a in await activities.upcoming(session, now=now) if eligible(a, member)]
    shown = found[:limit]
    ids = [a.id for a in shown if a.id is not None]
    all_counts = await activities.counts_of(session, ids)
    places = await activities.places_of(session, member.id, ids) if member.id else {}
    listed = []
    for activity in shown:
        taken, waiting = all_counts.get(activity.id or 0, (0, 0))
        state, position = places.get(activity.id or 0, (None, 0))
        listed.append(Listed(activity, Counts(taken, waiting), state, position))
    return listed
