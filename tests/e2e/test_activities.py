"""Activities end to end: a race for places in a group, the waitlist, offers, the deadline,
reminders, a weekly repeat, a hidden list, check-in, exports, and who may do what."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from storage import activities, members
from storage.models import Activity, ActivityLog
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
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
    await h.send(ADMIN, "/cadre add @chen_cadre")
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


async def _create(h: Harness, *, visible: str = "否") -> Activity:
    await h.send(CADRE, "/newactivity")
    [preview] = await h.send(CADRE, TEMPLATE.format(visible=visible))
    assert "周五羽毛球" in preview.text and "已报名 0/20" in preview.text
    await h.press(CADRE, preview, "an:post:1")
    assert "已发布" in h.current(preview).text
    await h.drain()
    async with h.db.read() as session:
        return (await session.exec(select(Activity))).one()


async def test_the_race_the_queue_and_the_offer(harness: Harness) -> None:
    h = harness
    group, people = await _setup(h)
    activity = await _create(h)
    post = next(m for m in h.emu.chat_messages(group) if "周五羽毛球" in m.text)
    updates = [h.emu.press(t, post, f"ac:join:{activity.id}") for t in people]
    updates += [h.emu.press(t, post, f"ac:join:{activity.id}") for t in people[:3]]  # double taps
    await h.settle()
    answers = [h.emu.callback_answers[u["callback_query"]["id"]]["text"] for u in updates]
    assert answers.count("报名成功！") == 20
    assert [a for a in answers if "候补" in a] == [
        f"名额已满，你排在候补第 {n} 位，有人退出会通知你。" for n in range(1, 6)
    ]
    assert answers.count("你已经报过名了。") == 3
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert "已报名 20/20，候补 5" in h.current(post).text
    # A cancellation offers the place to the first in the queue, in press order.
    await h.press(people[0], post, f"ac:leave:{activity.id}")
    await h.drain()
    offer = h.emu.last(people[20])
    assert "轮到你了" in offer.text
    _, taken = await h.press(people[20], offer, f"ac:take:{activity.id}")
    assert "已确认" in taken["text"]
    # The list is hidden (a singles' social, say): members never see names.
    _, hidden = await h.press(people[5], post, f"ac:list:{activity.id}")
    assert "不公开" in hidden["text"]
    assert not any("工友" in m.text for m in h.emu.chat_messages(group))
    # After the deadline sign-up and cancelling are closed.
    h.clock.set(activity.deadline + timedelta(minutes=1))
    _, closed = await h.press(people[22], post, f"ac:join:{activity.id}")
    assert "截止" in closed["text"]


async def test_reminders_weekly_repeat_check_in_and_exports(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=3)
    activity = await _create(h, visible="是")
    assert activity.id is not None
    [mine] = await h.send(people[0], "/activities")
    await h.press(people[0], mine, f"ac:join:{activity.id}")
    await h.press(people[1], mine, f"ac:join:{activity.id}")
    h.clock.set(activity.starts_at - timedelta(hours=23))
    await h.tick()
    await h.tick()
    await h.drain()
    assert sum("提醒：「周五羽毛球」" in m.text for m in h.emu.chat_messages(people[0])) == 1
    h.clock.set(activity.starts_at - timedelta(minutes=10))
    _, checked = await h.press(people[0], mine, f"ac:in:{activity.id}")
    assert "已签到" in checked["text"]
    _, names = await h.press(people[2], mine, f"ac:list:{activity.id}")
    assert "工友00" in names["text"]  # a public list
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    assert "已签到 1" in roster.text
    await h.press(CADRE, roster, f"ar:csv:{activity.id}")
    export = h.emu.last(CADRE)
    assert export.file_bytes is not None and export.file_bytes.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(export.file_bytes.decode("utf-8-sig"))))
    assert table[0][0] == "姓名" and {row[0] for row in table[1:]} == {"工友00", "工友01"}
    h.clock.set(activity.starts_at + timedelta(minutes=1))
    await h.tick()
    await h.tick()
    async with h.db.read() as session:
        series = (await session.exec(select(Activity).order_by(Activity.starts_at))).all()  # type: ignore[arg-type]
    assert len(series) == 2 and series[1].starts_at == activity.starts_at + timedelta(days=7)


async def test_changes_are_told_and_removals_logged(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=2)
    activity = await _create(h)
    [mine] = await h.send(people[0], "/activities")
    await h.press(people[0], mine, f"ac:join:{activity.id}")
    [theirs] = await h.send(people[1], "/activities")
    await h.press(people[1], theirs, f"ac:join:{activity.id}")
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    await h.press(CADRE, roster, f"ar:edit:{activity.id}")
    await h.send(CADRE, TEMPLATE.format(visible="否").replace("职工活动中心", "二号体育馆"))
    await h.drain()
    assert "二号体育馆" in h.emu.last(people[0]).text
    [roster] = await h.send(CADRE, f"/roster {activity.id}")
    remove = next(d for _, d in roster.buttons() if d.startswith("ar:rm"))
    await h.press(CADRE, roster, remove)
    await h.send(CADRE, "重复报名")
    async with h.db.read() as session:
        log = (await session.exec(select(ActivityLog).where(ActivityLog.action == "remove"))).one()
        going = await activities.signups(session, activity.id or 0, states=("confirmed",))
    assert log.reason == "重复报名" and [m.telegram_id for _, m in going] == [people[1]]
    await h.press(CADRE, roster, f"ar:cancel:{activity.id}")
    await h.drain()
    assert "取消了" in h.emu.last(people[1]).text


async def test_members_cannot_post_export_or_edit(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=1)
    activity = await _create(h)
    await register(h, 80_100, "普通会员")
    [refused] = await h.send(80_100, "/newactivity")
    assert "只有工会干部" in refused.text
    profile = (await h.send(80_100, "/me"))[0]
    for forged in (
        f"ar:csv:{activity.id}",
        f"ar:cancel:{activity.id}",
        f"ar:edit:{activity.id}",
        "an:ok:1",
    ):
        sent, answer = await h.press(80_100, profile, forged)
        assert sent == [] and "只有工会干部" in answer["text"]
    await h.send(CADRE, "/newactivity")
    [hint] = await h.send(CADRE, "标题：x\n时间：昨天")
    assert "“时间”一行" in hint.text and "<code>标题" in hint.html  # the template again
    assert len(people) == 1


async def test_family_guests_take_places_too(harness: Harness) -> None:
    h = harness
    _, people = await _setup(h, count=2)
    await h.send(CADRE, "/newactivity")
    [preview] = await h.send(
        CADRE, TEMPLATE.format(visible="是").replace("名额：20", "名额：3\n家属：2")
    )
    await h.press(CADRE, preview, "an:ok:1")
    [post] = await h.send(people[0], "/activities")
    assert ("报名+2位家属", "ac:guest:1:2") in post.buttons()
    _, first = await h.press(people[0], post, "ac:guest:1:2")
    assert first["text"] == "报名成功！"
    assert "已报名 3/3" in h.current(post).text
    _, second = await h.press(people[1], post, "ac:join:1")
    assert "候补第 1 位" in second["text"]


async def test_a_posted_weekly_activity_posts_next_weeks_too(harness: Harness) -> None:
    h = harness
    group, _ = await _setup(h, count=1)
    activity = await _create(h)
    h.clock.set(activity.starts_at + timedelta(minutes=5))
    await h.tick()
    await h.drain()
    posts = [m for m in h.emu.chat_messages(group) if "周五羽毛球" in m.text]
    assert len(posts) == 2 and "12-04" in posts[1].text
