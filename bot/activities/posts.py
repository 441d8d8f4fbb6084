"""How an activity looks in chat, its posts to the bound groups, and their live counts
(Telegram-free)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.callbacks import GuestsPress, PostAction, PostPress
from bot.activities.states import ACTIVITY_STATES, ActivityAction, check_activity
from bot.activities.template import ActivityDraft
from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.core.labels import label
from bot.delivery import keys, live_counts
from bot.delivery.live_counts import LiveText
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.roles import Role
from bot.strings import Html, Lang, t
from storage import activities, groups, outbox
from storage.models import Activity, Outbox
from storage.statuses import ActivityStatus, OutboxStatus, SignupState


@dataclass(frozen=True)
class Live:
    """When a change happens and what updating the group posts' counts needs."""

    config: Config
    now: datetime
    interval: timedelta  # [delivery] live_count_seconds


@dataclass(frozen=True)
class Counts:
    """Places taken (guests included) and how many are waiting."""

    taken: int
    waiting: int


async def counts(session: AsyncSession, activity_id: int) -> Counts:
    taken = await activities.places_taken(session, activity_id)
    waiting = await activities.count_in(session, activity_id, SignupState.WAITLISTED)
    return Counts(taken, waiting)


def mine_line(state: SignupState | None, position: int, lang: Lang) -> Html:
    """Where the reader stands: 「你已报名」, 「候补第 N 位」, an offer to take, or nothing."""
    if state == SignupState.CONFIRMED:
        return t(lang, "act_mine_confirmed")
    if state == SignupState.WAITLISTED:
        return t(lang, "act_mine_waitlisted", position=position)
    if state == SignupState.OFFERED:
        return t(lang, "act_mine_offered")
    return Html("")


def count_line(activity: Activity, now: Counts, lang: Lang) -> Html:
    if activity.capacity is None:
        return t(lang, "act_count_unlimited", taken=now.taken)
    return t(lang, "act_count", taken=now.taken, capacity=activity.capacity, waiting=now.waiting)


def post_text(activity: Activity, lang: Lang, zone: ZoneInfo, now: Counts) -> Html:
    body = t(
        lang,
        "act_post",
        title=activity.title,
        place=activity.place,
        description=activity.description,
        when=activity.starts_at.astimezone(zone).strftime("%m-%d %H:%M"),
        until=activity.ends_at.astimezone(zone).strftime("%H:%M"),
        deadline=activity.deadline.astimezone(zone).strftime("%m-%d %H:%M"),
    )
    status = (
        "" if activity.status == ActivityStatus.OPEN else "\n" + t(lang, label(activity.status))
    )
    return Html(body + "\n\n" + count_line(activity, now, lang) + status)


def member_view(
    activity: Activity,
    lang: Lang,
    *,
    config: Config,
    now: datetime,
    counted: Counts,
    state: SignupState | None,
    position: int = 0,
) -> tuple[Html, Keyboard]:
    """The activity as one member sees it in private: the post, where they stand, and the
    buttons (签到 only while check-in is open)."""
    text = post_text(activity, lang, config.union.zone, counted)
    if mine := mine_line(state, position, lang):
        text = Html(text + "\n" + mine)
    keyboard = post_keyboard(
        activity,
        lang,
        check_in=check_in_open(activity, now, config),
        signing_up=now <= activity.deadline,
    )
    return text, keyboard


def preview(draft: ActivityDraft, lang: Lang, zone: ZoneInfo) -> Html:
    """The post as it will look, before the activity exists."""
    shown = Activity(id=0, created_by=0, created_at=draft.starts_at, **draft.model_dump())
    return post_text(shown, lang, zone, Counts(0, 0))


def check_in_open(activity: Activity, now: datetime, config: Config) -> bool:
    """签到 is open from `[activities] check_in_minutes` before the start until the end."""
    return activity.starts_at - config.activities.check_in_before <= now <= activity.ends_at


def post_keyboard(
    activity: Activity, lang: Lang, *, check_in: bool = False, signing_up: bool = True
) -> Keyboard:
    """报名 (and one 报名+N per number of family guests allowed) until the sign-up deadline,
    取消报名, 名单, and 签到 while check-in is open — what the activity's table lets a member
    do now."""
    activity_id = activity.id or 0
    allowed = ACTIVITY_STATES.available(activity.status, Role.MEMBER)

    def press(key: str, action: PostAction) -> Button:
        return Button(t(lang, key), PostPress(action=action, activity_id=activity_id))

    rows: list[list[Button]] = []
    if ActivityAction.SIGN_UP in allowed and not signing_up:
        rows.append([press("btn_act_leave", PostAction.LEAVE)])  # a place may still be given up
    elif ActivityAction.SIGN_UP in allowed:
        rows.append(
            [press("btn_act_join", PostAction.JOIN), press("btn_act_leave", PostAction.LEAVE)]
        )
        rows.append(
            [
                Button(
                    t(lang, "btn_act_join_guests", count=n),
                    GuestsPress(activity_id=activity_id, guests=n),
                )
                for n in range(1, activity.guests_max + 1)
            ]
        )
    last = []
    if ActivityAction.LIST in allowed:
        last.append(press("btn_act_list", PostAction.LIST))
    if check_in and ActivityAction.CHECK_IN in allowed:
        last.append(press("btn_act_checkin", PostAction.CHECK_IN))
    rows.append(last)
    return Keyboard.of(rows)


async def post(
    session: AsyncSession,
    activity: Activity,
    *,
    lang: Lang,
    zone: ZoneInfo,
    now: datetime,
    role: Role = Role.CADRE,
) -> int:
    """Queue the activity's post in every bound group of its departments (once per group,
    however often asked). Returns how many posts were new."""
    assert activity.id is not None
    check_activity(activity.status, ActivityAction.POST, role)
    text = post_text(activity, lang, zone, Counts(0, 0))
    keyboard = post_keyboard(activity, lang)
    posts = [
        Outgoing.text(
            keys.activity_post(activity.id, group.chat_id),
            OutKind.ACTIVITY_POST,
            group.chat_id,
            text,
            markup=keyboard,
            ref_id=activity.id,
        )
        for group in await groups.bound(session, departments=activity.departments)
    ]
    return await enqueue(session, posts, now=now)


async def was_posted(session: AsyncSession, activity_id: int) -> bool:
    rows = await outbox.for_ref(
        session, ref_id=activity_id, kinds=[OutKind.ACTIVITY_POST.value], groups_only=True
    )
    return bool(rows)


async def _shown(session: AsyncSession, post: Outbox) -> tuple[str, Any] | None:
    """The text and buttons a group post shows (or is about to): its newest count edit's,
    else its own; None when unknown (an edit is being sent this moment), so it is edited
    again."""
    edit = await outbox.get_by_key(session, str(keys.live_count(keys.stored(post.key))))
    if edit is None:
        parts = post.payload.get("parts") or [{}]
        return str(parts[-1].get("text", "")), post.payload.get("markup")
    if edit.status not in (OutboxStatus.PENDING, OutboxStatus.SENT):
        return None
    return str(edit.payload.get("text", "")), edit.payload.get("markup")


async def refresh_counts(session: AsyncSession, activity: Activity, live: Live) -> int:
    """Queue the count edit of each group post whose count changed (coalesced, within each
    group's edit budget). Returns how many posts will be edited."""
    assert activity.id is not None
    posts = await live_counts.group_posts(session, ref_id=activity.id, kind=OutKind.ACTIVITY_POST)
    if not posts:
        return 0
    lang, zone = live.config.union.default_language, live.config.union.zone
    text = post_text(activity, lang, zone, await counts(session, activity.id))
    check_in = check_in_open(activity, live.now, live.config)
    signing_up = live.now <= activity.deadline
    keyboard = post_keyboard(activity, lang, check_in=check_in, signing_up=signing_up)

    async def render(post: Outbox) -> LiveText | None:
        shown = await _shown(session, post)
        return None if shown == (text, keyboard.as_dict()) else LiveText(text, keyboard)

    return await live_counts.refresh(session, posts, render, now=live.now, interval=live.interval)
