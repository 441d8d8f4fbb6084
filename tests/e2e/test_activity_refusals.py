"""Generated from the activity and sign-up state tables: every (status, action, role) a table
does not allow, pressed as a forged button (or, where no button asks for it, called at the
service), is refused in so many words and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.activities.callbacks import (
    AttendPress,
    CancelPress,
    EditPress,
    ExportFormat,
    ExportPress,
    GuestsPress,
    PostAction,
    PostPress,
    RemovePress,
    RosterPress,
)
from bot.activities.posts import post
from bot.activities.states import (
    ACTIVITY_REFUSED,
    ACTIVITY_STATES,
    SIGNUP_REFUSED,
    SIGNUP_STATES,
    TAKEN_ALREADY,
    ActivityAction,
    SignupAction,
)
from bot.core.callbacks import CallbackData
from bot.core.states import Refused
from bot.emulator import SentMessage
from bot.roles import Role
from storage import activities, members
from storage.models import Activity, ActivityLog, Dialog, Outbox, Signup
from storage.statuses import ActivityStatus, SignupState
from tests.e2e.catalogue import says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
GUEST, MEMBER, CADRE = 82_001, 82_002, 82_003
USERS = {Role.GUEST: GUEST, Role.MEMBER: MEMBER, Role.CADRE: CADRE, Role.ADMIN: ADMIN}


def _guard_key(needed: Role, role: Role) -> str:
    """What the role guard says to someone below the role a button needs."""
    return "register_first" if role == Role.GUEST and needed == Role.MEMBER else "not_allowed"


def _activity_presses(action: ActivityAction, ids: tuple[int, int]) -> list[CallbackData]:
    """Every button that asks for this action (none for POST: only creation and the weekly
    repeat post, so it is tried at the service)."""
    activity_id, signup_id = ids

    def member(action: PostAction) -> PostPress:
        return PostPress(action=action, activity_id=activity_id)

    return {
        ActivityAction.SIGN_UP: [
            member(PostAction.JOIN),
            member(PostAction.LEAVE),
            member(PostAction.TAKE),
            GuestsPress(activity_id=activity_id, guests=1),
        ],
        ActivityAction.CHECK_IN: [member(PostAction.CHECK_IN)],
        ActivityAction.LIST: [member(PostAction.LIST)],
        ActivityAction.POST: [],
        ActivityAction.EDIT: [EditPress(activity_id=activity_id)],
        ActivityAction.CANCEL: [CancelPress(activity_id=activity_id)],
        ActivityAction.ROSTER: [
            RosterPress(activity_id=activity_id),
            ExportPress(activity_id=activity_id, file=ExportFormat.CSV),
        ],
        ActivityAction.MANAGE: [
            AttendPress(activity_id=activity_id, signup_id=signup_id),
            RemovePress(activity_id=activity_id, signup_id=signup_id),
        ],
    }[action]


def _signup_press(action: SignupAction, ids: tuple[int, int]) -> CallbackData:
    activity_id, signup_id = ids
    return {
        SignupAction.JOIN: PostPress(action=PostAction.JOIN, activity_id=activity_id),
        SignupAction.LEAVE: PostPress(action=PostAction.LEAVE, activity_id=activity_id),
        SignupAction.TAKE: PostPress(action=PostAction.TAKE, activity_id=activity_id),
        SignupAction.CHECK_IN: PostPress(action=PostAction.CHECK_IN, activity_id=activity_id),
        SignupAction.MARK_PRESENT: AttendPress(activity_id=activity_id, signup_id=signup_id),
        SignupAction.REMOVE: RemovePress(activity_id=activity_id, signup_id=signup_id),
    }[action]


async def _snapshot(h: Harness, activity_id: int) -> tuple[Any, ...]:
    async with h.db.read() as session:
        activity = await activities.get(session, activity_id)
        assert activity is not None
        signups = (await session.exec(select(Signup).order_by(Signup.id))).all()  # type: ignore[arg-type]
        logs = (await session.exec(select(ActivityLog.id))).all()
        rows = (await session.exec(select(Outbox.key, Outbox.payload))).all()
        dialogs = (await session.exec(select(Dialog.user_id, Dialog.flow))).all()
    state = (activity.status, activity.title, activity.place, activity.starts_at)
    places = [
        (s.member_id, s.state, s.guests, s.created_at, s.offered_until, s.checked_in_at)
        for s in signups
    ]
    return state, places, len(logs), sorted(map(str, rows)), sorted(dialogs)


async def _people(h: Harness) -> dict[int, SentMessage]:
    """A guest, a member, a cadre and an admin (registered too), each with a message of the
    bot's in their private chat to press forged buttons on."""
    await register(h, ADMIN, "周主席")
    await register(h, MEMBER, "王小明")
    await register(h, CADRE, "陈干事", username="chen")
    await appoint(h, "@chen")
    h.emu.user(GUEST, "游客")
    return {user: (await h.send(user, "/help"))[0] for user in USERS.values()}


async def _activity(h: Harness, *, starts_in: timedelta, deadline_in: timedelta) -> int:
    now = h.clock.now()
    async with h.db.begin() as session:
        activity = await activities.add(
            session,
            title="周五羽毛球",
            place="职工活动中心",
            starts_at=now + starts_in,
            ends_at=now + starts_in + timedelta(hours=2),
            deadline=now + deadline_in,
            capacity=20,
            guests_max=1,
            created_by=CADRE,
            created_at=now,
        )
    assert activity.id is not None
    return activity.id


async def _sign_up(h: Harness, activity_id: int, users: list[int]) -> dict[int, int]:
    """A sign-up for each of these users; their ids by user."""
    ids = {}
    async with h.db.begin() as session:
        for user in users:
            member = await members.get_by_telegram_id(session, user)
            assert member is not None and member.id is not None
            signup = Signup(activity_id=activity_id, member_id=member.id, created_at=h.clock.now())
            await activities.save(session, signup)
            assert signup.id is not None
            ids[user] = signup.id
    return ids


async def _refused(
    h: Harness, user: int, where: SentMessage, press: CallbackData, key: str
) -> None:
    sent, answer = await h.press(user, where, press.pack())
    text = answer.get("text") or ""
    assert says(text, key), (press, user, key, text)
    assert sent == [], (press, user)


async def test_every_move_the_activity_table_does_not_allow_is_refused(harness: Harness) -> None:
    h = harness
    where = await _people(h)
    activity_id = await _activity(h, starts_in=timedelta(days=3), deadline_in=timedelta(days=2))
    signups = await _sign_up(h, activity_id, [MEMBER])
    ids = (activity_id, signups[MEMBER])
    tried = 0
    for status in ActivityStatus:
        async with h.db.begin() as session:
            activity = await activities.get(session, activity_id)
            assert activity is not None
            activity.status = status
            await activities.save(session, activity)
        for action in ActivityAction:
            needed = ACTIVITY_STATES.needs(action)
            for role, user in USERS.items():
                if ACTIVITY_STATES.allows(status, action, role):
                    continue
                below = role < needed
                for press in _activity_presses(action, ids):
                    before = await _snapshot(h, activity_id)
                    key = _guard_key(needed, role) if below else ACTIVITY_REFUSED
                    await _refused(h, user, where[user], press, key)
                    assert await _snapshot(h, activity_id) == before, (status, press, role)
                    tried += 1
                if action == ActivityAction.POST:
                    # The service checks the status first, then the role.
                    movable = ACTIVITY_STATES.allows(status, action, Role.ADMIN)
                    key = "not_allowed" if movable else ACTIVITY_REFUSED
                    await _post_refused(h, activity_id, role, key)
                    tried += 1
    print("activity combinations tried:", tried)
    assert tried >= 40


async def _post_refused(h: Harness, activity_id: int, role: Role, key: str) -> None:
    """Posting has no button of its own: the service refuses it."""
    before = await _snapshot(h, activity_id)
    config = h.config.union
    with pytest.raises(Refused) as refused:
        async with h.db.begin() as session:
            activity = await activities.get(session, activity_id)
            assert isinstance(activity, Activity)
            await post(
                session,
                activity,
                lang=config.default_language,
                zone=config.zone,
                now=h.clock.now(),
                role=role,
            )
    assert refused.value.key == key, (role, refused.value.key)
    assert await _snapshot(h, activity_id) == before


async def test_every_move_the_sign_up_table_does_not_allow_is_refused(harness: Harness) -> None:
    h = harness
    where = await _people(h)
    # Open, before the deadline, and inside the check-in window: only the sign-up's state
    # (or the presser's role) can refuse.
    activity_id = await _activity(
        h, starts_in=timedelta(minutes=10), deadline_in=timedelta(minutes=5)
    )
    signups = await _sign_up(h, activity_id, [MEMBER, CADRE, ADMIN])
    ids = (activity_id, signups[MEMBER])
    # The hour-before reminders are due: queued now, so the bot's own minute tick (it runs
    # on a real timer) finds nothing more to queue while the moves are tried.
    await h.tick()
    await h.drain()
    tried = 0
    for state in SignupState:
        async with h.db.begin() as session:
            for signup_id in signups.values():
                signup = await activities.signup(session, signup_id)
                assert signup is not None
                signup.state = state
                signup.offered_until = h.clock.now() + timedelta(hours=1)
                await activities.save(session, signup)
        for action in SignupAction:
            needed = SIGNUP_STATES.needs(action)
            press = _signup_press(action, ids)
            for role, user in USERS.items():
                if SIGNUP_STATES.allows(state, action, role):
                    continue
                if role < needed:
                    key = _guard_key(needed, role)
                elif action == SignupAction.TAKE and state == SignupState.CONFIRMED:
                    key = TAKEN_ALREADY
                else:
                    key = SIGNUP_REFUSED[action]
                before = await _snapshot(h, activity_id)
                await _refused(h, user, where[user], press, key)
                assert await _snapshot(h, activity_id) == before, (state, action, role)
                tried += 1
    print("sign-up combinations tried:", tried)
    assert tried >= 50
