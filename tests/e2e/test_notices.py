"""Notices end to end: compose, preview, deliver through failures, confirm, receipts, remind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.emulator import ApiError, Fault, SentMessage
from storage import members
from tests.e2e.catalogue import label, says
from tests.e2e.conftest import ADMIN
from tests.e2e.flows import appoint, register
from tests.e2e.harness import DEPARTMENTS, Harness

pytestmark = pytest.mark.e2e
CADRE = 40_001
FIRST_MEMBER = 500_000
MEMBERS = 200
BODY = "明天上午九点在三楼会议室召开安全生产会议，请准时参加。"


async def _appoint(h: Harness) -> None:
    await register(h, CADRE, "陈主席", username="chen_cadre", department="一车间")
    h.emu.user(ADMIN, "管理员")
    await appoint(h, "@chen_cadre")


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
    """Fill in the form up to the preview; `target` is the catalogue key of the target button."""
    await h.send(CADRE, "/notice")
    [ask_target] = await h.send(CADRE, BODY, bold="安全生产")
    [ask_ack], _ = await h.press_key(CADRE, ask_target, target)
    [next_question], _ = await h.press_key(CADRE, ask_ack, "btn_ack_required")
    if says(next_question, "notice_ask_pin"):
        [next_question], _ = await h.press_key(
            CADRE, next_question, "btn_pin" if pin else "btn_no_pin"
        )
    if when is None:
        sent, _ = await h.press_key(CADRE, next_question, "btn_send_now")
    else:
        sent = await h.send(CADRE, when)
    assert says(sent[0], "notice_preview_intro")
    assert "安全生产" in sent[1].text and [b for b, _ in sent[1].buttons()] == [label("btn_ack")]
    assert says(sent[-1], "notice_summary")


def _summary(h: Harness) -> SentMessage:
    return [m for m in h.emu.chat_messages(CADRE) if says(m, "notice_summary")][-1]


def _copies(h: Harness, chat_id: int) -> int:
    return sum(
        1
        for m in h.emu.chat_messages(chat_id)
        if "安全生产" in m.text and not says(m, "reminder_intro")
    )


def _reminded(h: Harness) -> list[int]:
    return [m.chat_id for m in h.emu.sent if says(m, "reminder_intro") and "安全生产" in m.text]


async def _receipts_then_remind_once(
    h: Harness, people: list[int], confirmers: list[int], blocked: list[int]
) -> None:
    """Receipts count people (the groups apart) and name the missing; two taps on 「提醒」
    remind each of them once — never the cadre who sent it."""
    [listing] = await h.send(CADRE, "/receipts")
    [detail], _ = await h.press(CADRE, listing, listing.buttons()[0][1])
    assert says(detail, "receipt_confirmed", confirmed=len(confirmers), people=len(people))
    assert says(detail, "receipt_groups", sent=3, waiting=0, failed=0)
    assert says(detail, "receipt_unconfirmed")
    unconfirmed = [t for t in people if t not in confirmers and t not in blocked]
    missing = len(unconfirmed) + len(blocked)  # the blocked still read their group
    _, answers = await h.double_press(CADRE, detail, label("btn_remind_now", count=missing))
    assert says(answers[0]["text"], "reminders_queued", count=len(unconfirmed))
    assert says(answers[1]["text"], "reminders_already_sent")
    await h.drain()
    reminded = _reminded(h)
    assert sorted(reminded) == sorted(unconfirmed)  # each once, however many taps
    # The refreshed 「提醒」 pressed again soon after: nobody is reminded twice in minutes.
    refreshed = h.current(detail)
    _, soon = await h.press_key(CADRE, refreshed, "btn_remind_now", count=missing)
    assert says(soon["text"], "reminders_too_soon")
    h.clock.advance(timedelta(hours=1))
    _, later = await h.press_key(CADRE, refreshed, "btn_remind_now", count=missing)
    assert says(later["text"], "reminders_queued", count=len(unconfirmed))
    await h.drain()
    assert sorted(_reminded(h)) == sorted(unconfirmed * 2)


async def test_a_notice_reaches_everyone_reachable_exactly_once(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, MEMBERS)
    chats = await _groups(h)
    await _compose(h, "btn_target_all_both")
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
    h.emu.faults.append(Fault("sendmessage", None, chat_id=people[10], delay=3.5))
    summary = _summary(h)
    # The cadre sending it is a member too, but never part of its audience. Everyone is in a
    # group and written to as well: counted once, under both ways.
    assert says(
        summary, "reach_total", people=MEMBERS, by_group=MEMBERS, privately=MEMBERS, missed=0
    )
    await h.press_key(CADRE, summary, "btn_notice_send")
    assert says(h.current(summary), "notice_sending")
    await h.drain()

    for telegram_id in people[3:]:
        assert _copies(h, telegram_id) == 1, telegram_id
    assert all(_copies(h, telegram_id) == 0 for telegram_id in blocked)
    assert [_copies(h, chat) for chat in (chats[0], migrated, chats[2])] == [1, 1, 1]
    assert _copies(h, chats[1]) == 0
    group_copy = next(m for m in h.emu.chat_messages(chats[0]) if "安全生产" in m.text)
    assert group_copy.pinned and says(group_copy, "ack_count", confirmed=0)
    assert "<b>安全生产</b>" in group_copy.html  # the cadre's formatting is kept
    assert h.emu.retry_after_sent >= 5
    assert h.app is not None and h.app.deps.delivery.worker is not None
    assert h.app.deps.delivery.worker.retry_after_received >= 5

    # Members confirm, some twice, in private and in their group; each counts once.
    confirmers = people[3:63]
    for telegram_id in confirmers:
        copy = next(m for m in h.emu.chat_messages(telegram_id) if "安全生产" in m.text)
        await h.press_key(telegram_id, copy, "btn_ack")
    copy = next(m for m in h.emu.chat_messages(people[3]) if "安全生产" in m.text)
    # A second tap that left before the first one's answer removed the button.
    ack = h.button_data(group_copy, label("btn_ack"))
    _, again = await h.press(people[3], copy, ack)
    assert says(again["text"], "ack_already")
    assert says(h.current(copy), "ack_private_done") and h.current(copy).buttons() == []
    _, in_group = await h.press_key(people[4], group_copy, "btn_ack")
    assert says(in_group["text"], "ack_already")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    first_department = sum(1 for t in confirmers if (t - FIRST_MEMBER) % 3 == 0)
    assert says(h.current(group_copy), "ack_count", confirmed=first_department)

    await _receipts_then_remind_once(h, people, confirmers, blocked)


async def test_two_taps_on_send_send_one_notice(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 4)
    await _compose(h, "btn_target_all_members")
    _, answers = await h.double_press(CADRE, _summary(h), label("btn_notice_send"))
    assert says(answers[1].get("text") or "", "button_expired")
    await h.drain()
    assert all(_copies(h, t) == 1 for t in people)
    [listing] = await h.send(CADRE, "/receipts")
    assert len(listing.buttons()) == 1


async def test_a_scheduled_notice_goes_out_on_time_after_a_restart(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 6)
    await _compose(h, "btn_target_all_members", when="今天 18:30")
    summary = _summary(h)
    await h.press_key(CADRE, summary, "btn_notice_send")
    assert says(h.current(summary), "notice_scheduled", when="2026-11-24 18:30")
    [listing] = await h.send(CADRE, "/scheduled")
    assert "18:30" in listing.text
    await h.restart()
    assert await h.tick() == 0
    await h.drain()
    assert all(_copies(h, t) == 0 for t in people)
    h.clock.advance(timedelta(hours=9))  # 09:30 -> 18:30 in Shanghai
    assert await h.tick() == len(people)  # the author gets no copy
    assert await h.tick() == 0  # released once, whoever ticks again
    await h.drain()
    assert all(_copies(h, t) == 1 for t in people)


async def test_cancel_and_reschedule_a_notice(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 3)
    await _compose(h, "btn_target_all_members", when="明天 8:00")
    await h.press_key(CADRE, _summary(h), "btn_notice_send")
    [listing] = await h.send(CADRE, "/scheduled")
    change_text = h.button_data(listing, label("btn_change_text"))
    [ask], _ = await h.press_key(CADRE, listing, "btn_change_time")
    assert says(ask, "notice_ask_when")
    [bad] = await h.send(CADRE, "昨天下午3点")
    assert says(bad, "when_past") and says(bad, "notice_ask_when")
    [changed] = await h.send(CADRE, "明天 7:00")
    assert says(changed, "scheduled_changed") and "07:00" in changed.text
    await h.press_key(CADRE, listing, "btn_cancel_notice")
    assert says(h.current(listing), "scheduled_cancelled")
    h.clock.advance(timedelta(days=1))
    assert await h.tick() == 0
    assert all(_copies(h, t) == 0 for t in people)
    _, gone = await h.press(CADRE, listing, change_text)
    assert says(gone["text"], "scheduled_gone")


async def test_cancel_names_what_was_cancelled(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    await h.send(CADRE, "/notice")
    [cancelled] = await h.send(CADRE, "/cancel")
    assert says(cancelled, "cancel_notice")


async def test_members_cannot_compose_or_see_receipts(harness: Harness) -> None:
    h = harness
    await register(h, 40_002, "王小明")
    for command in ("/notice", "/receipts", "/scheduled"):
        [refused] = await h.send(40_002, command)
        assert says(refused, "not_allowed")
    profile = (await h.send(40_002, "/me"))[0]
    for forged in ("ntf:send", "rc:remind:1:0", "sch:cancel:1", "ntg:groups:all"):
        sent, answer = await h.press(40_002, profile, forged)
        assert sent == [] and says(answer["text"], "not_allowed")


async def test_bad_notice_input_keeps_the_draft(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    await h.send(CADRE, "/notice")
    [hint] = await h.sticker(CADRE)
    assert says(hint, "notice_unsupported")
    [ask_target] = await h.send(CADRE, "周五下午大扫除")
    [ask_departments], _ = await h.press_key(CADRE, ask_target, "btn_target_dept_members")
    [still] = await h.send(CADRE, "随便打字")
    assert says(still, "use_buttons")
    _, refused = await h.press_key(CADRE, ask_departments, "btn_done")
    assert says(refused["text"], "notice_pick_department")
    await h.press_label(CADRE, ask_departments, "二车间")
    assert "✅ 二车间" in str(h.current(ask_departments).buttons())
    [ask_ack], _ = await h.press_key(CADRE, ask_departments, "btn_done")
    [when_q], _ = await h.press_key(CADRE, ask_ack, "btn_ack_not_required")
    [past] = await h.send(CADRE, "2020-01-01 08:00")
    assert says(past, "when_past")
    sent, _ = await h.press_key(CADRE, when_q, "btn_send_now")
    assert "周五下午大扫除" in sent[1].text and sent[1].buttons() == []
    assert "二车间" in sent[-1].text


async def test_quiet_hours_hold_notices_and_reminders_follow(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    night_shift, day_shift = await _members(h, 2)
    await h.send(night_shift, "/quiet")  # members may look first
    [quiet] = await h.send(night_shift, "/quiet 08:00-16:00")
    assert says(quiet, "quiet_set", range="08:00-16:00")
    [bad] = await h.send(night_shift, "/quiet 25:00-07:00")
    assert says(bad, "quiet_bad")
    await _compose(h, "btn_target_all_members")
    await h.press_key(CADRE, _summary(h), "btn_notice_send")
    await h.drain()  # 09:30 in Shanghai: inside the night-shift worker's quiet hours
    assert _copies(h, day_shift) == 1 and _copies(h, night_shift) == 0
    h.clock.advance(timedelta(hours=6, minutes=30))  # 16:00
    await h.drain()
    assert _copies(h, night_shift) == 1
    copy = next(m for m in h.emu.chat_messages(day_shift) if "安全生产" in m.text)
    await h.press_key(day_shift, copy, "btn_ack")
    # Two hours after release the automatic reminder goes, once, to those still unconfirmed.
    h.clock.advance(timedelta(hours=1))
    assert await h.tick() > 0
    assert await h.tick() == 0
    await h.drain()
    assert _reminded(h) == [night_shift]  # never the cadre who sent it


async def test_a_reminder_due_at_night_waits_for_the_morning(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    [member] = await _members(h, 1)  # no quiet hours of their own
    h.clock.advance(timedelta(hours=11, minutes=30))  # 21:00 in Shanghai
    await _compose(h, "btn_target_all_members")
    await h.press_key(CADRE, _summary(h), "btn_notice_send")
    await h.drain()
    assert _copies(h, member) == 1  # the notice itself goes at once
    h.clock.advance(timedelta(hours=2))  # 23:00: its reminder is due, but it is night
    assert await h.tick() > 0
    await h.drain()
    assert _reminded(h) == []
    h.clock.advance(timedelta(hours=8))  # 07:00, [notices] reminder_night is over
    await h.drain()
    assert _reminded(h) == [member]


async def test_a_photo_notice_keeps_its_caption_and_counts_in_the_caption(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 3)
    chats = await _groups(h)
    await h.send(CADRE, "/notice")
    [ask_target] = await h.photo(CADRE, caption="消防演练路线图，请大家看清楚")
    [ask_ack], _ = await h.press_key(CADRE, ask_target, "btn_target_all_groups")
    [ask_pin], _ = await h.press_key(CADRE, ask_ack, "btn_ack_required")
    [ask_when], _ = await h.press_key(CADRE, ask_pin, "btn_no_pin")
    sent, _ = await h.press_key(CADRE, ask_when, "btn_send_now")
    assert sent[1].kind == "photo" and "消防演练" in sent[1].text
    await h.press_key(CADRE, sent[-1], "btn_notice_send")
    await h.drain()
    photo = next(m for m in h.emu.chat_messages(chats[0]) if m.kind == "photo")
    assert "消防演练路线图" in photo.text and not photo.pinned
    assert says(photo, "ack_count", confirmed=0, total=1)  # 一车间: a member and the author
    await h.press_key(people[0], photo, "btn_ack")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert says(h.current(photo), "ack_count", confirmed=1, total=1)  # the caption was edited


async def test_a_confirmation_edits_only_the_group_whose_count_changed(harness: Harness) -> None:
    h = harness
    await _appoint(h)
    people = await _members(h, 6)
    chats = await _groups(h)
    await _compose(h, "btn_target_all_groups")
    await h.press_key(CADRE, _summary(h), "btn_notice_send")
    await h.drain()
    copies = {
        chat: next(m for m in h.emu.chat_messages(chat) if "安全生产" in m.text) for chat in chats
    }
    await h.press_key(people[1], copies[chats[1]], "btn_ack")  # 会员001 is in 二车间
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert [h.current(copies[chat]).edits for chat in chats] == [0, 1, 0]


async def test_someone_registered_after_the_notice_is_told_there_is_nothing_to_confirm(
    harness: Harness,
) -> None:
    h = harness
    await _appoint(h)
    await _members(h, 3)
    chats = await _groups(h)
    await _compose(h, "btn_target_all_groups")
    await h.press_key(CADRE, _summary(h), "btn_notice_send")
    await h.drain()
    copy = next(m for m in h.emu.chat_messages(chats[0]) if "安全生产" in m.text)
    newcomer = FIRST_MEMBER + 99  # joins the first department once the notice is out
    async with h.db.begin() as session:
        member = await members.add(
            session,
            now=h.clock.now(),
            telegram_id=newcomer,
            name="新会员",
            department=DEPARTMENTS[0],
        )
        await members.mark_registered(session, member, now=h.clock.now())
    h.emu.user(newcomer, "新会员")
    _, told = await h.press_key(newcomer, copy, "btn_ack")
    assert says(told["text"], "ack_outside")
    h.clock.advance(timedelta(seconds=30))
    await h.drain()
    assert says(
        h.current(copy), "ack_count", confirmed=0, total=1
    )  # nobody counted who was not asked


async def test_a_member_who_blocked_the_bot_is_reachable_again_after_writing_to_it(
    harness: Harness,
) -> None:
    h = harness
    await _appoint(h)
    [blocked] = await _members(h, 1)
    h.emu.block_bot(blocked)
    await _compose(h, "btn_target_all_members")
    await h.press_key(CADRE, _summary(h), "btn_notice_send")
    await h.drain()
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, blocked)
    assert member is not None and not member.active
    await h.send(blocked, "/help")  # unblocking and writing again
    async with h.db.read() as session:
        member = await members.get_by_telegram_id(session, blocked)
    assert member is not None and member.active
