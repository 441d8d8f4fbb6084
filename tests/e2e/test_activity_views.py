"""What members see of activities: a private confirmation of a place with a calendar file
(also for a place taken from the waiting list; updated when the activity moves, cancelled
when it is), 「你已报名」 / 「候补第 N 位」 in /activities (in the same few queries however many
activities there are), and 签到 only from `[activities] check_in_minutes` before the start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar

from bot.emulator import SentMessage
from storage import activities, members
from storage.models import Activity, Signup
from storage.statuses import SignupState
from tests.e2e.catalogue import label, says
from tests.e2e.harness import Harness, engine_events
from tests.e2e.test_activities import CADRE, TEMPLATE, _all, _create, _posts, _setup

pytestmark = pytest.mark.e2e


def _invitations(h: Harness, user: int) -> list[SentMessage]:
    return [
        m
        for m in h.emu.chat_messages(user)
        if m.kind == "document" and (m.file_name or "").endswith(".ics")
    ]


def _event(message: SentMessage) -> tuple[str, Any]:
    assert message.file_bytes is not None
    calendar = Calendar.from_ical(message.file_bytes)
    [vevent] = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), vevent


async def _listed(h: Harness, user: int) -> list[SentMessage]:
    """/activities as the member sees it (a confirmation delivered meanwhile left aside)."""
    return [m for m in await h.send(user, "/activities") if m.kind == "text"]


async def _activity(h: Harness) -> Activity:
    [activity] = await _all(h)
    return activity


async def test_a_place_is_confirmed_privately_with_a_calendar_file(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h, count=2)
    activity = await _create(h)
    [post] = _posts(h, group)
    _, joined = await h.press_key(people[0], post, "btn_act_join")  # in the group
    assert says(joined["text"], "act_join_confirmed")
    await h.drain()
    [confirmation] = _invitations(h, people[0])
    assert says(confirmation, "act_confirmed_private", title="周五羽毛球", place="职工活动中心")
    assert "11-27 17:30-19:00" in confirmation.text
    method, vevent = _event(confirmation)
    assert method == "PUBLISH" and str(vevent["SUMMARY"]) == "周五羽毛球"
    assert str(vevent["LOCATION"]) == "职工活动中心" and int(vevent["SEQUENCE"]) == 0
    starts = vevent.decoded("DTSTART")
    assert starts == activity.starts_at and str(starts.tzinfo) == "Asia/Shanghai"
    assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"
    uid = str(vevent["UID"])
    # The activity moves: the news carries the same UID with a higher SEQUENCE.
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press_key(CADRE, roster, "btn_act_edit")
    await h.send(CADRE, TEMPLATE.format(visible="否").replace("职工活动中心", "二号体育馆"))
    await h.drain()
    changed = _invitations(h, people[0])[-1]
    assert says(changed, "act_changed", place="二号体育馆")
    method, vevent = _event(changed)
    assert (method, str(vevent["UID"]), int(vevent["SEQUENCE"])) == ("PUBLISH", uid, 1)
    assert str(vevent["LOCATION"]) == "二号体育馆"
    # Cancelled: METHOD:CANCEL for the same entry.
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press_key(CADRE, roster, "btn_act_cancel")
    await h.drain()
    cancelled = _invitations(h, people[0])[-1]
    assert says(cancelled, "act_cancelled")
    method, vevent = _event(cancelled)
    assert (method, str(vevent["UID"]), int(vevent["SEQUENCE"])) == ("CANCEL", uid, 2)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert _invitations(h, people[1]) == []  # never signed up, never told


async def test_activities_marks_my_place_and_the_queue(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=3)
    await _create(h)
    activity = await _activity(h)
    async with h.db.begin() as session:
        row = await activities.get(session, activity.id or 0)
        assert row is not None
        row.capacity = 1
        await activities.save(session, row)
    first, second, third = people
    [mine] = await _listed(h, first)
    assert not says(mine, "act_mine_confirmed")
    await h.press_key(first, mine, "btn_act_join")
    assert says(h.current(mine), "act_mine_confirmed")  # the pressed message, redrawn
    for user in (second, third):
        [theirs] = await _listed(h, user)
        await h.press_key(user, theirs, "btn_act_join")
    await h.drain()  # the first's confirmation is delivered
    [listed] = await _listed(h, first)
    assert says(listed, "act_mine_confirmed")
    [listed] = await _listed(h, third)
    assert says(listed, "act_mine_waitlisted", position=2)
    assert not says(listed, "act_mine_confirmed")
    # The first gives up the place: the second is offered it, takes it, and is confirmed.
    await h.press_key(first, mine, "btn_act_leave")
    await h.drain()
    [listed] = await _listed(h, second)
    assert says(listed, "act_mine_offered")
    offer = [m for m in h.emu.chat_messages(second) if says(m, "act_offer")][-1]
    await h.press_key(second, offer, "btn_act_take")
    await h.drain()
    [confirmation] = _invitations(h, second)
    assert says(confirmation, "act_confirmed_private", title="周五羽毛球")
    [listed] = await _listed(h, third)
    assert says(listed, "act_mine_waitlisted", position=1)
    [listed] = await _listed(h, first)
    assert not says(listed, "act_mine_confirmed")


@contextmanager
def _counting(h: Harness) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(*args: Any) -> None:  # the activity queries (not the delivery worker's polls)
        statement = str(args[2])
        if "signup" in statement or "FROM activity" in statement:
            statements.append(statement)

    with engine_events(h, "before_cursor_execute", seen):
        yield statements


async def _queue(h: Harness, activity_id: int, holder: int, waiter: int) -> None:
    """`holder` takes the only place and `waiter` waits for it (as their presses would)."""
    async with h.db.begin() as session:
        for n, telegram_id in enumerate((holder, waiter)):
            member = await members.get_by_telegram_id(session, telegram_id)
            assert member is not None and member.id is not None
            state = SignupState.WAITLISTED if n else SignupState.CONFIRMED
            signup = Signup(
                activity_id=activity_id,
                member_id=member.id,
                state=state,
                created_at=h.clock.now() + timedelta(seconds=n),
            )
            await activities.save(session, signup)


async def test_activities_uses_the_same_queries_for_one_or_many(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=2)
    await _create(h)
    first = await _activity(h)
    async with h.db.begin() as session:
        row = await activities.get(session, first.id or 0)
        assert row is not None
        row.capacity = 1
        await activities.save(session, row)
    await _queue(h, first.id or 0, people[1], people[0])
    with _counting(h) as one:
        [listed] = await _listed(h, people[0])
    assert says(listed, "act_mine_waitlisted", position=1)
    async with h.db.begin() as session:
        added = [
            await activities.add(
                session,
                title=f"活动{days}",
                place="礼堂",
                starts_at=first.starts_at + timedelta(days=days),
                ends_at=first.ends_at + timedelta(days=days),
                deadline=first.deadline + timedelta(days=days),
                capacity=1,
                created_by=CADRE,
                created_at=h.clock.now(),
            )
            for days in (1, 2, 3)
        ]
    for activity in added:
        await _queue(h, activity.id or 0, people[1], people[0])
    with _counting(h) as many:
        shown = await _listed(h, people[0])
    assert len(shown) == 4
    assert all(says(m, "act_mine_waitlisted", position=1) for m in shown)
    assert len(many) == len(one) == 4  # the activities, their counts, mine, my queue places


async def test_check_in_shows_only_in_its_window(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h, count=1)
    activity = await _create(h)
    [post] = _posts(h, group)
    [mine] = await _listed(h, people[0])
    await h.press_key(people[0], mine, "btn_act_join")
    checkin = label("btn_act_checkin")
    assert checkin not in str(h.current(mine).buttons())  # three days early: no 签到
    h.clock.set(activity.starts_at - timedelta(minutes=61))  # past the 12:00 deadline
    await h.tick()
    await h.drain()
    # The sign-up's own count edit may have been on its way as the clock jumped: the post's
    # next edit then waits the live-count interval.
    h.clock.advance(timedelta(seconds=h.config.delivery.live_count_seconds))
    await h.drain()
    [early] = await _listed(h, people[0])
    assert checkin not in str(early.buttons())
    assert checkin not in str(h.current(post).buttons())
    join, leave = label("btn_act_join"), label("btn_act_leave")
    for closed in (early.buttons(), h.current(post).buttons()):  # sign-up is over: no 报名
        assert join not in [text for text, _ in closed] and leave in str(closed)
    h.clock.set(activity.starts_at - timedelta(minutes=59))
    await h.tick()
    await h.tick()
    await h.drain()
    [open_now] = await _listed(h, people[0])
    assert checkin in str(open_now.buttons())
    assert checkin in str(h.current(post).buttons())  # the group post got it too
    _, checked = await h.press_key(people[0], post, "btn_act_checkin")
    assert says(checked["text"], "act_checked_in")
    h.clock.set(activity.ends_at + timedelta(minutes=1))
    _, late = await h.press_key(people[0], post, "btn_act_checkin")
    assert says(late["text"], "act_check_in_closed", minutes=60)
    await h.tick()
    await h.drain()
    # The check-in's own count edit may have gone out just after the clock jumped: the post's
    # next edit then waits the live-count interval (one edit per interval, as in a real group).
    h.clock.advance(timedelta(seconds=h.config.delivery.live_count_seconds))
    await h.drain()
    assert checkin not in str(h.current(post).buttons())  # over: the post loses 签到
