"""A cadre's actions on an activity: create it (and post it), change its details, cancel it,
check someone in, take someone off the list with a logged reason. Each checks the tables;
everyone concerned is told through the outbox, once. Telegram-free."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.notify import tell_everyone
from bot.activities.offers import offer_next
from bot.activities.posts import Live, post, refresh_counts
from bot.activities.states import ActivityAction, SignupAction, check_activity, check_signup
from bot.activities.template import ActivityDraft
from bot.core.states import Refused
from bot.delivery import keys
from bot.roles import Role
from storage import activities
from storage.models import Activity, Signup


async def create(
    session: AsyncSession,
    draft: ActivityDraft,
    *,
    author: int,
    to_groups: bool,
    role: Role,
    live: Live,
) -> Activity:
    """A new activity, open for sign-up; posted to the bound groups if asked."""
    if role < Role.CADRE:
        raise Refused("not_allowed")
    activity = await activities.add(
        session, **draft.model_dump(), created_by=author, created_at=live.now
    )
    if to_groups:
        union = live.config.union
        await post(
            session, activity, lang=union.default_language, zone=union.zone, now=live.now, role=role
        )
    return activity


async def _open_for(
    session: AsyncSession, activity_id: int, action: ActivityAction, role: Role
) -> Activity:
    """The activity, locked, if the table lets `role` take `action` on it now."""
    activity = await activities.lock(session, activity_id)
    if activity is None:
        raise Refused("act_unknown")
    check_activity(activity.status, action, role)
    return activity


async def editable(session: AsyncSession, activity_id: int, *, role: Role) -> Activity:
    """Refused unless the activity's details may be changed now."""
    return await _open_for(session, activity_id, ActivityAction.EDIT, role)


async def edit(
    session: AsyncSession,
    activity_id: int,
    draft: ActivityDraft,
    *,
    actor: int,
    role: Role,
    live: Live,
) -> Activity:
    """New details; if the time or the place moved, everyone signed up or waiting is told."""
    activity = await _open_for(session, activity_id, ActivityAction.EDIT, role)
    moved = (activity.starts_at, activity.place) != (draft.starts_at, draft.place)
    for name, value in draft.model_dump().items():
        setattr(activity, name, value)
    await activities.save(session, activity)
    await activities.log(
        session, activity_id=activity_id, actor_telegram_id=actor, action="edit", at=live.now
    )
    if moved:
        await tell_everyone(
            session,
            activity,
            text_key="act_changed",
            key=lambda signup_id: keys.activity_changed(activity_id, live.now, signup_id),
            now=live.now,
            zone=live.config.union.zone,
        )
    await refresh_counts(session, activity, live)
    return activity


async def cancel(
    session: AsyncSession, activity_id: int, *, actor: int, role: Role, live: Live
) -> Activity:
    """Cancel the activity and tell everyone signed up or waiting — once: a second press
    waits for the first one's lock, then finds it cancelled and is refused."""
    activity = await _open_for(session, activity_id, ActivityAction.CANCEL, role)
    activity.status = check_activity(activity.status, ActivityAction.CANCEL, role)
    await activities.save(session, activity)
    await activities.log(
        session, activity_id=activity_id, actor_telegram_id=actor, action="cancel", at=live.now
    )
    await tell_everyone(
        session,
        activity,
        text_key="act_cancelled",
        key=lambda signup_id: keys.activity_cancelled(activity_id, signup_id),
        now=live.now,
        zone=live.config.union.zone,
    )
    await refresh_counts(session, activity, live)  # the posts lose their buttons
    return activity


async def _their_signup(
    session: AsyncSession, activity_id: int, signup_id: int, action: SignupAction, role: Role
) -> tuple[Activity, Signup]:
    activity = await _open_for(session, activity_id, ActivityAction.MANAGE, role)
    signup = await activities.signup(session, signup_id)
    if signup is None or signup.activity_id != activity_id:
        raise Refused("act_signup_gone")
    check_signup(signup.state, action, role)
    return activity, signup


async def mark_present(
    session: AsyncSession, activity_id: int, signup_id: int, *, role: Role, live: Live
) -> None:
    """A cadre checks someone in (a second press changes nothing)."""
    _, signup = await _their_signup(
        session, activity_id, signup_id, SignupAction.MARK_PRESENT, role
    )
    if signup.checked_in_at is None:
        signup.checked_in_at = live.now
        await activities.save(session, signup)


async def removable(session: AsyncSession, activity_id: int, signup_id: int, *, role: Role) -> None:
    """Refused unless this sign-up may be taken off the list now (asked before the reason)."""
    await _their_signup(session, activity_id, signup_id, SignupAction.REMOVE, role)


async def remove(
    session: AsyncSession,
    activity_id: int,
    signup_id: int,
    *,
    reason: str,
    actor: int,
    role: Role,
    live: Live,
) -> None:
    """Take someone off the list with the reason on record; the place goes to the queue."""
    activity, signup = await _their_signup(
        session, activity_id, signup_id, SignupAction.REMOVE, role
    )
    signup.state = check_signup(signup.state, SignupAction.REMOVE, role)
    await activities.save(session, signup)
    await activities.log(
        session,
        activity_id=activity_id,
        actor_telegram_id=actor,
        member_id=signup.member_id,
        action="remove",
        reason=reason,
        at=live.now,
    )
    await offer_next(session, activity, now=live.now, config=live.config)
    await refresh_counts(session, activity, live)
