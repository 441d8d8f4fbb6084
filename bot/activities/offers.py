"""A freed place goes to the waiting list in order: each in turn is offered it for the
configured window, and an offer not taken in time passes on. Run under the activity's lock,
so places are counted one change at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.callbacks import PostAction, PostPress
from bot.activities.notify import local, send, to_member
from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.delivery import keys
from bot.strings import normalise_lang, t
from storage import activities
from storage.models import Activity
from storage.statuses import SignupState


async def offer_next(
    session: AsyncSession, activity: Activity, *, now: datetime, config: Config
) -> int:
    """While places are free, offer them to the queue in order, each for the configured
    window. Returns how many offers were queued."""
    assert activity.id is not None
    window = timedelta(hours=config.activities.offer_hours)
    messages = []
    for signup, member in await activities.signups(
        session, activity.id, states=(SignupState.WAITLISTED,)
    ):
        taken = await activities.places_taken(session, activity.id)
        if activity.capacity is not None and taken + 1 + signup.guests > activity.capacity:
            break
        assert signup.id is not None
        until = min(now + window, activity.deadline)
        signup.state, signup.offered_until = SignupState.OFFERED, until
        await activities.save(session, signup)
        lang = normalise_lang(member.language)
        take = PostPress(action=PostAction.TAKE, activity_id=activity.id)
        messages.append(
            to_member(
                keys.activity_offer(activity.id, signup.id, now),
                member,
                t(lang, "act_offer", title=activity.title, until=local(until, config.union.zone)),
                markup=Keyboard.column([Button(t(lang, "btn_act_take"), take)]),
            )
        )
    return await send(session, messages, now=now)


async def pass_on_expired(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Offers not taken in time lapse, and their places are offered to the next in line."""
    queued = 0
    for signup in await activities.expired_offers(session, now=now):
        assert signup.id is not None
        activity = await activities.lock(session, signup.activity_id)
        # Taken a moment ago (under the same lock) means it is no longer an expired offer.
        if activity is None or not await activities.expire_offer(session, signup.id, now=now):
            continue
        queued += await offer_next(session, activity, now=now, config=config)
    return queued
