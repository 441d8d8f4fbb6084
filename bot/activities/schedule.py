"""What the minute tick does for activities: lapsed offers pass on, reminders go the day and
the hour before, group posts get their 签到 button when check-in opens, and a weekly activity
gets next week's instance (posted where this week's was) once this week's has started. Each
is keyed or locked so two ticks do it once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.notify import local, send, to_member
from bot.activities.offers import pass_on_expired
from bot.activities.posts import Live, check_in_open, post, refresh_counts, was_posted
from bot.config import Config
from bot.delivery import keys
from bot.members.quiet_hours import held_until
from bot.strings import normalise_lang, t
from storage import activities
from storage.models import Activity
from storage.statuses import SignupState

CHECK_IN_CLOSING = timedelta(hours=1)  # how long after the end a post's 签到 is taken away
REMINDERS = {True: "act_remind_day", False: "act_remind_hour"}  # a day or more ahead?
SERIES_FIELDS = (
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


async def tick(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Everything due for activities now; returns how many messages were queued."""
    queued = await pass_on_expired(session, now=now, config=config)
    queued += await remind(session, now=now, config=config)
    queued += await open_check_in(session, now=now, config=config)
    for activity in await activities.started_weekly(session, now=now):
        queued += await repeat_weekly(session, activity, now=now, config=config)
    return queued


async def remind(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Each reminder once per sign-up (its key names the activity, the hours and the sign-up)."""
    zone = config.union.zone
    messages = []
    for activity in await activities.upcoming(session, now=now, limit=200):
        assert activity.id is not None
        for hours in config.activities.remind_before_hours:
            if not activity.starts_at - timedelta(hours=hours) <= now < activity.starts_at:
                continue
            confirmed = await activities.signups(
                session, activity.id, states=(SignupState.CONFIRMED,)
            )
            for signup, member in confirmed:
                assert signup.id is not None
                text = t(
                    normalise_lang(member.language),
                    REMINDERS[hours >= 24],
                    title=activity.title,
                    when=local(activity.starts_at, zone),
                    place=activity.place,
                )
                due = held_until(now, member.quiet_start, member.quiet_end, zone)
                key = keys.activity_reminder(activity.id, hours, signup.id)
                messages.append(to_member(key, member, text, not_before=due))
    return await send(session, messages, now=now)


async def open_check_in(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """The group posts of an activity lose 报名 once its sign-up deadline passes, get 签到
    while check-in is open and lose it once the activity is over: each edited once (a post
    already right is left alone)."""
    live = Live(config, now, timedelta(seconds=config.delivery.live_count_seconds))
    edits = 0
    for activity in await activities.upcoming(session, now=now - CHECK_IN_CLOSING, limit=200):
        if activity.deadline <= now or check_in_open(activity, now, config):
            edits += await refresh_counts(session, activity, live)
    return edits


async def repeat_weekly(
    session: AsyncSession, activity: Activity, *, now: datetime, config: Config
) -> int:
    """Next week's instance, created once (under this week's lock, so a second tick finds
    it) and posted where this week's was."""
    assert activity.id is not None
    if await activities.lock(session, activity.id) is None:
        return 0
    following = await next_week(session, activity)
    if following is None or not await was_posted(session, activity.id):
        return 0
    union = config.union
    return await post(session, following, lang=union.default_language, zone=union.zone, now=now)


async def next_week(session: AsyncSession, activity: Activity) -> Activity | None:
    """Next week's instance of a weekly activity, unless it exists already."""
    assert activity.id is not None
    series = activity.series_id or activity.id
    week = timedelta(days=7)
    if await activities.in_series_at(
        session, series_id=series, starts_at=activity.starts_at + week
    ):
        return None
    fields = {name: getattr(activity, name) for name in SERIES_FIELDS}
    return await activities.add(
        session,
        **fields,
        starts_at=activity.starts_at + week,
        ends_at=activity.ends_at + week,
        deadline=activity.deadline + week,
        series_id=series,
    )
