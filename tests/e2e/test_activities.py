"""Activities end to end: a race for places in a group, the waitlist, offers, the deadline,
reminders, a weekly repeat, a hidden list, check-in, exports, who may do what, and presses
that queue messages doing it once however often they are tapped."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.emulator import SentMessage
from storage import activities, members
from storage.models import Activity, ActivityLog, Outbox
from storage.statuses import ActivityStatus, SignupState
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e
CADRE, FIRST = 80_001, 810_000
TEMPLATE = """标题：周五羽毛球
时间：11月27日 17:30-19:00
地点：职工活动中心
截止：11月27日 12:00
名额：20
名单公开：{visible}
每周：是
说明：自带球拍"""


async def _setup(h: Harness, count: int = 25) -> tuple[int, list[int]]:
    await register(h, CADRE, "陈干事", username="chen_cadre")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")
    group = h.emu.group("一车间群", members=[CADRE])
    h.emu.add_bot_to_group(group, CADRE)
    await h.settle()
    await h.send(CADRE, "/bindgroup 一车间", chat_id=group)
    people = []
    async with h.db.begin() as session:
        for n in range(count):
            member = await members.add(
                session,
                now=h.clock.now(),
                telegram_id=FIRST + n,
                name=f"工友{n:02d}",
                department="一车间",
            )
            await members.mark_registered(session, member, now=h.clock.now())
            h.emu.user(FIRST + n, f"工友{n:02d}")
            h.emu.open_private(FIRST + n)
            people.append(FIRST + n)
    return group, people


async def _preview(h: Harness, template: str) -> SentMessage:
    await h.send(CADRE, "/newactivity")
    [preview] = await h.send(CADRE, template)
    assert "周五羽毛球" in preview.text
    return preview


async def _all(h: Harness) -> list[Activity]:
    async with h.db.read() as session:
        return list((await session.exec(select(Activity).order_by(Activity.id))).all())  # type: ignore[arg-type]


async def _create(h: Harness, *, visible: str = "否") -> Activity:
    preview = await _preview(h, TEMPLATE.format(visible=visible))
    assert says(preview, "act_count", taken=0, capacity=20)
    await h.press_key(CADRE, preview, "btn_act_create_post")
    assert says(h.current(preview), "act_created", title="周五羽毛球")
    await h.drain()
    [activity] = await _all(h)
    return activity


def _posts(h: Harness, group: int) -> list[SentMessage]:
    return [m for m in h.emu.chat_messages(group) if "周五羽毛球" in m.text]


async def _join(h: Harness, user: int) -> SentMessage:
    """The member signs up from their own /activities list."""
    [mine] = await h.send(user, "/activities")
    _, joined = await h.press_key(user, mine, "btn_act_join")
    assert says(joined["text"], "act_join_confirmed")
    await h.drain()  # the private confirmation is delivered before the next step
    return mine


async def test_the_race_the_queue_and_the_offer(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h)
    activity = await _create(h)
    [post] = _posts(h, group)
    join = h.button_data(post, label("btn_act_join"))
    updates = [h.emu.press(t, post, join) for t in people]
    updates += [h.emu.press(t, post, join) for t in people[:3]]  # double taps
    await h.settle()
    answers = [h.emu.callback_answers[u["callback_query"]["id"]]["text"] for u in updates]
    assert sum(says(a, "act_join_confirmed") for a in answers) == 20
    waiting = [a for a in answers if says(a, "act_join_waitlisted")]
    assert len(waiting) == 5  # in press order, each told their place in the queue
    assert all(says(a, "act_join_waitlisted", position=n) for n, a in enumerate(waiting, 1))
    assert sum(says(a, "act_join_already") for a in answers) == 3
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert says(h.current(post), "act_count", taken=20, capacity=20, waiting=5)
    # Two taps on 取消报名 in flight: one cancellation, one offer to the first in the queue.
    _, left = await h.double_press(people[0], post, label("btn_act_leave"))
    assert says(left[0]["text"], "act_leave_left") and says(left[1]["text"], "act_leave_not_in")
    await h.drain()
    offers = [m for m in h.emu.sent if says(m, "act_offer")]
    assert [m.chat_id for m in offers] == [people[20]]
    _, taken = await h.double_press(people[20], offers[0], label("btn_act_take"))
    assert says(taken[0]["text"], "act_take_confirmed", title="周五羽毛球")
    assert says(taken[1]["text"], "act_join_already")
    # The list is hidden (a singles' social, say): members never see names.
    _, hidden = await h.press_key(people[5], post, "btn_act_list")
    assert says(hidden["text"], "act_list_hidden")
    assert not any("工友" in m.text for m in h.emu.chat_messages(group))
    # After the deadline sign-up and cancelling are closed.
    h.clock.set(activity.deadline + timedelta(minutes=1))
    _, closed = await h.press_key(people[22], post, "btn_act_join")
    assert says(closed["text"], "act_join_closed")
    _, too_late = await h.press_key(people[1], post, "btn_act_leave")
    assert says(too_late["text"], "act_leave_closed")


async def test_reminders_weekly_repeat_check_in_and_exports(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=3)
    activity = await _create(h, visible="是")
    assert activity.id is not None
    await _join(h, people[0])
    await _join(h, people[1])
    h.clock.set(activity.starts_at - timedelta(hours=23))
    await h.tick()
    await h.tick()
    await h.drain()
    reminders = [m for m in h.emu.chat_messages(people[0]) if says(m, "act_remind_day")]
    assert len(reminders) == 1 and says(reminders[0], "act_remind_day", title="周五羽毛球")
    h.clock.set(activity.starts_at - timedelta(minutes=10))
    [mine] = await h.send(people[0], "/activities")  # 签到 shows once check-in is open
    _, checked = await h.press_key(people[0], mine, "btn_act_checkin")
    assert says(checked["text"], "act_checked_in")
    [theirs] = await h.send(people[2], "/activities")
    _, names = await h.press_key(people[2], theirs, "btn_act_list")
    assert says(names["text"], "act_list") and "工友00" in names["text"]  # a public list
    _, not_signed = await h.press_key(people[2], theirs, "btn_act_checkin")
    assert says(not_signed["text"], "act_check_in_not_signed")
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    assert says(roster, "roster_head", going=2, present=1)
    await h.press_key(CADRE, roster, "btn_act_csv")
    export = h.emu.last(CADRE)
    assert export.file_bytes is not None and export.file_bytes.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(export.file_bytes.decode("utf-8-sig"))))
    assert table[0][0] == "姓名" and {row[0] for row in table[1:]} == {"工友00", "工友01"}
    assert {row[3] for row in table[1:]} == {label("signup_state_confirmed")}
    h.clock.set(activity.starts_at + timedelta(minutes=1))
    await h.tick()
    await h.tick()
    series = await _all(h)
    assert len(series) == 2 and series[1].starts_at == activity.starts_at + timedelta(days=7)


async def test_the_roster_picks_checks_in_and_exports_a_workbook(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=2)
    activity = await _create(h)
    await _join(h, people[0])
    [listing] = await h.send(CADRE, "/roster")
    assert says(listing, "roster_pick")
    [roster], _ = await h.press_key(
        CADRE, listing, "roster_pick_item", id=activity.id, title="周五羽毛球"
    )
    assert says(roster, "roster_head", going=1, places=1, queued=0, present=0)
    _, done = await h.press_key(CADRE, roster, "btn_roster_present", name="工友00")
    assert says(done["text"], "act_checked_in")
    redrawn = h.current(roster)  # the roster pressed shows the check-in at once
    assert says(redrawn, "roster_head", present=1)
    assert label("btn_roster_present", name="工友00") not in str(redrawn.buttons())
    [again] = await h.send(CADRE, f"/roster {activity.id}")
    assert says(again, "roster_head", present=1)
    assert label("btn_roster_present", name="工友00") not in str(again.buttons())
    await h.press_key(CADRE, again, "btn_act_xlsx")
    workbook = h.emu.last(CADRE)
    assert workbook.file_bytes is not None and workbook.file_bytes.startswith(b"PK")
    [unknown] = await h.send(CADRE, "/roster 999")
    assert says(unknown, "act_unknown")


async def test_changes_are_told_and_removals_logged(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=3)
    activity = await _create(h)
    await _join(h, people[0])
    await _join(h, people[1])
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    [ask], _ = await h.press_key(CADRE, roster, "btn_act_edit")
    assert says(ask, "act_edit_prompt", id=activity.id)
    assert "截止：11月27日 12:00" in ask.text and "名额：20" in ask.text  # as it is now
    [bad] = await h.send(CADRE, "时间：昨天")
    assert says(bad, "act_bad_time", line="时间")  # and the flow waits for a better one
    assert says(bad, "act_edit_prompt", id=activity.id)  # with the activity as it is, again
    [edited] = await h.send(CADRE, "地点：二号体育馆")  # only the line that changes
    assert says(edited, "act_edited", id=activity.id)
    await h.drain()
    assert says(h.emu.last(people[0]), "act_changed", place="二号体育馆")
    [kept] = await _all(h)  # the lines not sent kept what the activity had
    assert (kept.capacity, kept.deadline, kept.description) == (20, activity.deadline, "自带球拍")
    assert (kept.weekly, kept.list_visible, kept.place) == (True, False, "二号体育馆")
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    [why], _ = await h.press_key(CADRE, roster, "btn_roster_remove", name="工友00")
    assert says(why, "act_remove_reason")
    [empty] = await h.send(CADRE, "   ")
    assert says(empty, "act_remove_reason")
    [removed] = await h.send(CADRE, "重复报名")
    assert says(removed, "act_removed")
    async with h.db.read() as session:
        log = (await session.exec(select(ActivityLog).where(ActivityLog.action == "remove"))).one()
        going = await activities.signups(session, activity.id or 0, states=(SignupState.CONFIRMED,))
    assert log.reason == "重复报名" and [m.telegram_id for _, m in going] == [people[1]]
    # 工友00 was already taken off: their ✖ on the old roster is refused and nothing changes.
    _, gone = await h.press_key(CADRE, roster, "btn_roster_remove", name="工友00")
    assert says(gone["text"], "act_signup_gone")
    _, answers = await h.double_press(CADRE, roster, label("btn_act_cancel"))
    assert says(h.current(roster), "act_cancelled_done", id=activity.id)
    assert says(answers[1]["text"], "act_unknown")  # the second tap finds it cancelled
    await h.drain()
    told = [m.chat_id for m in h.emu.sent if says(m, "act_cancelled")]
    assert told == [people[1]]  # once, however many taps; 工友00 is off the list
    async with h.db.read() as session:
        cancelled = await activities.get(session, activity.id or 0)
    assert cancelled is not None and cancelled.status == ActivityStatus.CANCELLED


async def test_a_cancelled_activity_posts_lose_their_buttons(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h, count=1)
    activity = await _create(h)
    [post] = _posts(h, group)
    join = h.button_data(post, label("btn_act_join"))
    await h.press(people[0], post, join)
    h.clock.advance(timedelta(seconds=30))
    await h.drain()  # the count is edited in
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press_key(CADRE, roster, "btn_act_cancel")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert says(h.current(post), "activity_status_cancelled") and h.current(post).buttons() == []
    _, refused = await h.press(people[0], post, join)  # a tap that left before the edit
    assert says(refused["text"], "act_unknown")


async def test_members_cannot_post_export_or_edit(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=1)
    activity = await _create(h)
    await register(h, 80_100, "普通会员")
    [refused] = await h.send(80_100, "/newactivity")
    assert says(refused, "not_allowed")
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    profile = (await h.send(80_100, "/me"))[0]
    cadre_buttons = [data for _, data in roster.buttons()]
    for forged in [*cadre_buttons, "an:post", "an:ok"]:
        sent, answer = await h.press(80_100, profile, forged)
        assert sent == [] and says(answer["text"], "not_allowed"), forged
    await h.send(CADRE, "/newactivity")
    [hint] = await h.send(CADRE, "标题：x\n时间：昨天")
    assert says(hint, "act_bad_time", line="时间") and "<code>标题" in hint.html
    assert len(people) == 1


async def test_family_guests_take_places_too(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h, count=2)
    preview = await _preview(
        h, TEMPLATE.format(visible="是").replace("名额：20", "名额：3\n家属：2")
    )
    await h.press_key(CADRE, preview, "btn_act_create")  # not posted to the group
    await h.drain()
    assert _posts(h, group) == []
    [post] = await h.send(people[0], "/activities")
    assert label("btn_act_join_guests", count=2) in [text for text, _ in post.buttons()]
    _, first = await h.press_key(people[0], post, "btn_act_join_guests", count=2)
    assert says(first["text"], "act_join_confirmed")
    assert says(h.current(post), "act_count", taken=3, capacity=3)
    _, second = await h.press_key(people[1], post, "btn_act_join")
    assert says(second["text"], "act_join_waitlisted", position=1)
    # The member's confirmation and the public list both count the family members.
    await h.drain()
    confirmation = h.emu.last(people[0])
    assert says(confirmation, "act_confirmed_guests", guests=2)
    _, listed = await h.press_key(people[1], h.current(post), "btn_act_list")
    assert says(listed["text"], "act_list_guests", guests=2)


async def test_live_counts_are_edited_only_when_the_count_changed(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h, count=2)
    await _create(h)
    [post] = _posts(h, group)
    await h.press_key(people[0], post, "btn_act_join")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert h.current(post).edits == 1
    _, again = await h.press_key(people[0], post, "btn_act_join")  # already signed up
    _, hidden = await h.press_key(people[1], post, "btn_act_list")
    assert says(again["text"], "act_join_already") and says(hidden["text"], "act_list_hidden")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert h.current(post).edits == 1
    assert says(h.current(post), "act_count", taken=1, capacity=20)


async def test_two_taps_on_post_create_one_activity_and_one_post(harness: Harness) -> None:
    h = harness
    group, _ = await _setup(h, count=1)
    preview = await _preview(h, TEMPLATE.format(visible="否"))
    _, answers = await h.double_press(CADRE, preview, label("btn_act_create_post"))
    assert says(answers[1].get("text") or "", "button_expired")
    await h.drain()
    assert len(await _all(h)) == 1 and len(_posts(h, group)) == 1
    assert says(h.current(preview), "act_created")


async def test_a_reason_sent_twice_removes_once_and_offers_once(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h, count=3)
    preview = await _preview(h, TEMPLATE.format(visible="否").replace("名额：20", "名额：1"))
    await h.press_key(CADRE, preview, "btn_act_create_post")
    await h.drain()
    [post] = _posts(h, group)
    for user in people:
        await h.press_key(user, post, "btn_act_join")
    [activity] = await _all(h)
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press_key(CADRE, roster, "btn_roster_remove", name="工友00")
    before = len(h.emu.sent)
    for _ in range(2):
        h.emu.send_text(CADRE, "临时有事")
    await h.settle()
    await h.drain()
    replies = [m for m in h.emu.sent[before:] if m.chat_id == CADRE]
    assert sum(says(m, "act_removed") for m in replies) == 1
    offers = [m.chat_id for m in h.emu.sent if says(m, "act_offer")]
    assert offers == [people[1]]  # the first in the queue, once
    async with h.db.read() as session:
        logs = (await session.exec(select(ActivityLog))).all()
    assert [entry.action for entry in logs] == ["remove"]


async def test_two_ticks_repeat_a_weekly_activity_once(harness: Harness) -> None:
    h = harness
    group, _ = await _setup(h, count=1)
    activity = await _create(h)
    h.clock.set(activity.starts_at + timedelta(minutes=5))
    await asyncio.gather(h.tick(), h.tick())
    await h.tick()
    await h.drain()
    posts = _posts(h, group)
    assert len(await _all(h)) == 2
    assert len(posts) == 2 and "12-04" in posts[1].text
    async with h.db.read() as session:
        rows = (await session.exec(select(Outbox.key).where(Outbox.kind == "activity_post"))).all()
    assert len(rows) == 2


async def test_cancel_names_each_activity_conversation(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=1)
    await h.send(CADRE, "/newactivity")
    assert says((await h.send(CADRE, "/cancel"))[0], "cancel_newactivity")
    activity = await _create(h)
    await _join(h, people[0])
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press_key(CADRE, roster, "btn_act_edit")
    assert says((await h.send(CADRE, "/cancel"))[0], "cancel_activity_edit")
    await h.press_key(CADRE, roster, "btn_roster_remove", name="工友00")
    assert says((await h.send(CADRE, "/cancel"))[0], "cancel_activity_remove")
    async with h.db.read() as session:
        going = await activities.signups(session, activity.id or 0, states=(SignupState.CONFIRMED,))
    assert len(going) == 1  # nothing was removed


async def test_a_posted_weekly_activity_posts_next_weeks_too(harness: Harness) -> None:
    h = harness
    group, _ = await _setup(h, count=1)
    activity = await _create(h)
    h.clock.set(activity.starts_at + timedelta(minutes=5))
    await h.tick()
    await h.drain()
    posts = _posts(h, group)
    assert len(posts) == 2 and "12-04" in posts[1].text
    said(posts, "act_count", taken=0, capacity=20)


async def test_new_details_sent_twice_tell_everyone_once(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=2)
    activity = await _create(h)
    await _join(h, people[0])
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press_key(CADRE, roster, "btn_act_edit")
    moved = TEMPLATE.format(visible="否").replace("职工活动中心", "二号体育馆")
    before = len(h.emu.sent)
    for _ in range(2):
        h.emu.send_text(CADRE, moved)
    await h.settle()
    await h.drain()
    replies = [m for m in h.emu.sent[before:] if m.chat_id == CADRE]
    assert sum(says(m, "act_edited") for m in replies) == 1
    told = [m.chat_id for m in h.emu.sent if says(m, "act_changed")]
    assert told == [people[0]]
    async with h.db.read() as session:
        logs = (await session.exec(select(ActivityLog))).all()
    assert [entry.action for entry in logs] == ["edit"]
