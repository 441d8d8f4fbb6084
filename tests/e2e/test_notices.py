"""Notices end to end: compose, preview, deliver through failures, confirm, receipts, remind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.emulator import ApiError, Fault
from storage import members
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import register
from tests.e2e.harness import DEPARTMENTS, Harness

pytestmark = pytest.mark.e2e
CADRE = 40_001
FIRST_MEMBER = 500_000
MEMBERS = 200
BODY = "明天上午九点在三楼会议室召开安全生产会议，请准时参加。"


async def _appoint(h: Harness) -> None:
    await register(h, CADRE, "陈主席", username="chen_cadre", department="一车间")
    h.emu.user(ADMIN, "管理员")
    await h.send(ADMIN, "/cadre add @chen_cadre")


async def _members(h: Harness, count: int) -> list[int]:
    """Registered members spread over the departments, each with a private chat open."""
    ids = []
    async with h.db.begin() as session:
        for index in range(count):
            telegram_id = FIRST_MEMBER + index
            member = await members.add(
                session,
                now=h.clock.now(),
                telegram_id=telegram_id,
                name=f"会员{index:03d}",
                department=DEPARTMENTS[index % len(DEPARTMENTS)],
            )
            await members.mark_registered(session, member, now=h.clock.now())
            h.emu.user(telegram_id, f"会员{index:03d}")
            h.emu.open_private(telegram_id)
            ids.append(telegram_id)
    return ids


async def _groups(h: Harness) -> list[int]:
    chats = []
    for department in DEPARTMENTS:
        chat = h.emu.group(f"{department}群", members=[CADRE])
        h.emu.add_bot_to_group(chat, CADRE)
        await h.settle()
        await h.send(CADRE, f"/bindgroup {department}", chat_id=chat)
        chats.append(chat)
    return chats


async def _compose(h: Harness, target: str, *, pin: bool = True, when: str | None = None) -> None:
    await h.send(CADRE, "/notice")
    [ask_target] = await h.send(CADRE, BODY, bold="安全生产")
    [ask_ack], _ = await h.press(CADRE, ask_target, f"nt:tg:{target}")
    [next_question], _ = await h.press(CADRE, ask_ack, "nt:ack:1")
    if "置顶" in next_question.text:
        [next_question], _ = await h.press(CADRE, next_question, f"nt:pin:{int(pin)}")
    if when is None:
        sent, _ = await h.press(CADRE, next_question, "nt:when:now")
    else:
        sent = await h.send(CADRE, when)
    assert "预览" in sent[0].text
    assert "安全生产" in sent[1].text and sent[1].buttons() == [("✅ 收到", "nt:noop:0")]
    assert "确认发送" in sent[-1].text


def _copies(h: Harness, chat_id: int) -> int:
    return sum(
        1 for m in h.emu.chat_messages(chat_id) if "安全生产" in m.text and "提醒" not in m.text
    )


async def test_a_notice_reaches_everyone_reachable_exactly_once(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, MEMBERS)
    chats = await _groups(h)
    await _compose(h, "all_both")
    # Telegram misbehaves: three members blocked the bot, a group became a supergroup without
    # the bot hearing of it, five sends are throttled and one member's send times out once.
    blocked = people[:3]
    for telegram_id in blocked:
        h.emu.block_bot(telegram_id)
    migrated = h.emu.migrate_group(chats[1], CADRE, notify=False)
    h.emu.faults.append(
        Fault(
            "sendmessage",
            ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1}),
            times=5,
        )
    )
    h.emu.faults.append(Fault("sendmessage", None, chat_id=people[10], delay=1.5))
    [summary] = [m for m in h.emu.chat_messages(CADRE) if "确认发送" in m.text][-1:]
    assert "3 个车间群" in summary.text and f"{MEMBERS + 1} 名会员" in summary.text
    _sent, _ = await h.press(CADRE, summary, "nt:go:send")
    assert "正在发送" in h.current(summary).text
    await h.drain()

    for telegram_id in people[3:]:
        assert _copies(h, telegram_id) == 1, telegram_id
    assert all(_copies(h, telegram_id) == 0 for telegram_id in blocked)
    assert [_copies(h, chat) for chat in (chats[0], migrated, chats[2])] == [1, 1, 1]
    assert _copies(h, chats[1]) == 0
    group_copy = next(m for m in h.emu.chat_messages(chats[0]) if "安全生产" in m.text)
    assert group_copy.pinned and "已确认 0/" in group_copy.text
    assert "<b>安全生产</b>" in group_copy.html  # the cadre's formatting is kept
    assert h.emu.retry_after_sent >= 5
    assert h.app is not None and h.app.deps.delivery.worker is not None
    assert h.app.deps.delivery.worker.retry_after_received >= 5

    # Members confirm, some twice, in private and in their group; each counts once.
    confirmers = people[3:63]
    for telegram_id in confirmers:
        copy = next(m for m in h.emu.chat_messages(telegram_id) if "安全生产" in m.text)
        await h.press(telegram_id, copy, copy.buttons()[0][1])
    copy = next(m for m in h.emu.chat_messages(people[3]) if "安全生产" in m.text)
    _, again = await h.press(people[3], copy, "ack:1")
    assert "已经确认过" in again["text"]
    assert "已确认收到" in h.current(copy).text and h.current(copy).buttons() == []
    _, in_group = await h.press(people[4], group_copy, group_copy.buttons()[0][1])
    assert "已经确认过" in in_group["text"]
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    first_department = sum(1 for t in confirmers if (t - FIRST_MEMBER) % 3 == 0)
    assert f"已确认 {first_department}/" in h.current(group_copy).text

    # Receipts: failures with reasons, confirmations, who is missing.
    [listing] = await h.send(CADRE, "/receipts")
    [detail], _ = await h.press(CADRE, listing, listing.buttons()[0][1])
    assert "屏蔽了机器人：" in detail.text
    assert "已确认" in detail.text and "未确认：" in detail.text
    assert f"已确认 {first_department}/" in detail.text
    unconfirmed = [t for t in people if t not in confirmers and t not in blocked]
    remind_label = next(label for label, _ in detail.buttons() if "提醒" in label)
    assert str(len(unconfirmed) + len(blocked) + 1) in remind_label  # +1: the cadre, also a member
    await h.press(CADRE, detail, next(d for _, d in detail.buttons() if d.startswith("rc:remind")))
    await h.drain()
    reminded = {m.chat_id for m in h.emu.sent if "提醒" in m.text and "安全生产" in m.text}
    assert reminded == {*unconfirmed, CADRE}


async def test_a_scheduled_notice_goes_out_on_time_after_a_restart(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 6)
    await _compose(h, "all_members", when="今天 18:30")
    summary = [m for m in h.emu.chat_messages(CADRE) if "确认发送" in m.text][-1]
    await h.press(CADRE, summary, "nt:go:send")
    assert "18:30" in h.current(summary).text
    [listing] = await h.send(CADRE, "/scheduled")
    assert "18:30" in listing.text
    await h.restart()
    assert await h.tick() == 0
    await h.drain()
    assert all(_copies(h, t) == 0 for t in people)
    h.clock.advance(timedelta(hours=9))  # 09:30 -> 18:30 in Shanghai
    assert await h.tick() == len(people) + 1
    assert await h.tick() == 0  # released once, whoever ticks again
    await h.drain()
    assert all(_copies(h, t) == 1 for t in people)


async def test_cancel_and_reschedule_a_notice(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 3)
    await _compose(h, "all_members", when="明天 8:00")
    await h.press(CADRE, h.emu.last(CADRE), "nt:go:send")
    [listing] = await h.send(CADRE, "/scheduled")
    change_text = next(d for _, d in listing.buttons() if d.startswith("sch:text"))
    [_ask], _ = await h.press(
        CADRE, listing, next(d for _, d in listing.buttons() if d.startswith("sch:time"))
    )
    [bad] = await h.send(CADRE, "昨天")
    assert "没看懂这个时间" in bad.text
    [changed] = await h.send(CADRE, "明天 7:00")
    assert "07:00" in changed.text
    await h.press(
        CADRE, listing, next(d for _, d in listing.buttons() if d.startswith("sch:cancel"))
    )
    assert "已取消" in h.current(listing).text
    h.clock.advance(timedelta(days=1))
    assert await h.tick() == 0
    assert all(_copies(h, t) == 0 for t in people)
    _, gone = await h.press(CADRE, listing, change_text)
    assert "不能再改" in gone["text"]


async def test_members_cannot_compose_or_see_receipts(harness: Harness) -> None:
    h = harness
    await register(h, 40_002, "王小明")
    for command in ("/notice", "/receipts", "/scheduled"):
        [refused] = await h.send(40_002, command)
        assert "只有工会干部" in refused.text
    profile = (await h.send(40_002, "/me"))[0]
    for forged in ("nt:go:send", "rc:remind:1", "sch:cancel:1", "nt:tg:all_groups"):
        sent, answer = await h.press(40_002, profile, forged)
        assert sent == [] and "只有工会干部" in answer["text"]


async def test_bad_notice_input_keeps_the_draft(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    await h.send(CADRE, "/notice")
    [hint] = await h.sticker(CADRE)
    assert "文字、图片或文件" in hint.text
    [ask_target] = await h.send(CADRE, "周五下午大扫除")
    [ask_ack], _ = await h.press(CADRE, ask_target, "nt:tg:dept_members")
    [still] = await h.send(CADRE, "随便打字")
    assert "按钮" in still.text
    _, refused = await h.press(CADRE, ask_ack, "nt:dp:done")
    assert "至少选择一个部门" in refused["text"]
    await h.press(CADRE, ask_ack, "nt:dp:1")
    assert "✅ 二车间" in str(h.current(ask_ack).buttons())
    [ask_when], _ = await h.press(CADRE, ask_ack, "nt:dp:done")
    [when_q], _ = await h.press(CADRE, ask_when, "nt:ack:0")
    [past] = await h.send(CADRE, "2020-01-01 08:00")
    assert "已经过去" in past.text
    sent, _ = await h.press(CADRE, when_q, "nt:when:now")
    assert "周五下午大扫除" in sent[1].text and sent[1].buttons() == []
    assert "二车间" in sent[-1].text


async def test_quiet_hours_hold_notices_and_reminders_follow(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    night_shift, day_shift = await _members(h, 2)
    await h.send(night_shift, "/quiet")  # members may look first
    [quiet] = await h.send(night_shift, "/quiet 08:00-16:00")
    assert "08:00-16:00" in quiet.text
    [bad] = await h.send(night_shift, "/quiet 25:00-07:00")
    assert "没看懂" in bad.text
    await _compose(h, "all_members")
    await h.press(CADRE, h.emu.last(CADRE), "nt:go:send")
    await h.drain()  # 09:30 in Shanghai: inside the night-shift worker's quiet hours
    assert _copies(h, day_shift) == 1 and _copies(h, night_shift) == 0
    h.clock.advance(timedelta(hours=6, minutes=30))  # 16:00
    await h.drain()
    assert _copies(h, night_shift) == 1
    copy = next(m for m in h.emu.chat_messages(day_shift) if "安全生产" in m.text)
    await h.press(day_shift, copy, copy.buttons()[0][1])
    # Two hours after release the automatic reminder goes, once, to those still unconfirmed.
    h.clock.advance(timedelta(hours=1))
    assert await h.tick() > 0
    assert await h.tick() == 0
    await h.drain()
    reminded = {m.chat_id for m in h.emu.sent if "提醒" in m.text and "安全生产" in m.text}
    assert reminded == {night_shift, CADRE}


async def test_a_photo_notice_keeps_its_caption_and_counts_in_the_caption(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 3)
    chats = await _groups(h)
    await h.send(CADRE, "/notice")
    [ask_target] = await h.photo(CADRE, caption="消防演练路线图，请大家看清楚")
    [ask_ack], _ = await h.press(CADRE, ask_target, "nt:tg:all_groups")
    [ask_pin], _ = await h.press(CADRE, ask_ack, "nt:ack:1")
    [ask_when], _ = await h.press(CADRE, ask_pin, "nt:pin:0")
    sent, _ = await h.press(CADRE, ask_when, "nt:when:now")
    assert sent[1].kind == "photo" and "消防演练" in sent[1].text
    await h.press(CADRE, sent[-1], "nt:go:send")
    await h.drain()
    photo = next(m for m in h.emu.chat_messages(chats[0]) if m.kind == "photo")
    assert "消防演练路线图" in photo.text and "已确认 0/2" in photo.text and not photo.pinned
    await h.press(people[0], photo, photo.buttons()[0][1])
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert "已确认 1/2" in h.current(photo).text  # the caption was edited, not the text


async def test_a_member_who_blocked_the_bot_is_reachable_again_after_writing_to_it(
    harness: Harness,
) -> None:
    h = harness
    await _appoint(h)
    [blocked] = await _members(h, 1)
    h.emu.block_bot(blocked)
    await _compose(h, "all_members")
    await h.press(CADRE, h.emu.last(CADRE), "nt:go:send")
    await h.drain()
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, blocked)
    assert member is not None and not member.active
    await h.send(blocked, "/help")  # unblocking and writing again
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, blocked)
    assert member is not None and member.active
