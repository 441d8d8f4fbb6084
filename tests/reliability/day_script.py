"""A scripted union day, played against the bot as a process: six people register (three of
them born today), a notice asking for 收到 goes to everyone and each confirms, a member files
a case and a cadre replies, everyone races for four places at an activity, a secret ballot
is held, and the day's greetings are run. At the end, what the database and the chats hold,
for comparison."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.cases.identity import BUTTON_LABELS, Identity
from bot.emulator import Emulator, SentMessage
from bot.notices.release import release
from storage import activities, members, notices, outbox, votes
from storage.db import Database
from storage.models import Case, CaseEntry, Member, NoticeConfirmation, Outbox, Signup, Vote
from storage.statuses import CaseActor, OutboxKind, SignupState, StoredRole
from tests.e2e.catalogue import label, says
from tests.reliability.bot_process import (
    Expect,
    Interrupted,
    Members,
    again,
    button,
    either,
    journey,
    key,
    outbox_copies,
    played_now,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CADRE = 820_000
PEOPLE = {820_001 + n: f"工友{name}" for n, name in enumerate("甲乙丙丁戊己")}
BORN_TODAY = list(PEOPLE)[:3]
BYSTANDERS = range(830_000, 830_150)
PLACES = 4
REPORTER = next(iter(PEOPLE))
WAGES = "工资待遇"
REPORT = "上个月的加班费没有发，车间主任说下个月再说。"
REPLY = "我们已经联系财务核对，本周内答复。"
NOTICE = "周五下午三点在三楼会议室召开安全生产会议，请准时参加。"
VOTE = """问题：是否同意调整夏季作息时间？
选项：同意、不同意、弃权
范围：一车间
开始：现在
结束：明天 18:00"""
DRAIN_SECONDS = 120.0


@dataclass(frozen=True)
class Outcome:
    """What the day left behind."""

    registered: frozenset[tuple[int, str]]
    reports: Counter[str]
    replies: Counter[str]
    signed_up: frozenset[int]
    confirmed_places: int
    confirmations: frozenset[int]
    greetings: Counter[int]
    told_reply: frozenset[int]
    voted: int
    tallies: tuple[int, ...]
    duplicates: int
    duplicated_greetings: int
    delivered: int
    missing: int


async def seed(db: Database, emu: Emulator) -> int:
    """Before the day: the cadre, the activity members will race for, and members already
    registered in another workshop (so the notice keeps the outbox busy a while)."""
    now = played_now()
    async with db.begin() as session:
        for telegram_id in BYSTANDERS:
            member = await members.add(
                session, now=now, telegram_id=telegram_id, name="二车间工友", department="二车间"
            )
            await members.mark_registered(session, member, now=now)
            emu.user(telegram_id, "二车间工友", language_code="zh-hans")
            emu.open_private(telegram_id)
        cadre = await members.add(
            session, now=now, telegram_id=CADRE, name="陈干事", department="一车间"
        )
        await members.mark_registered(session, cadre, now=now)
        await members.set_role(session, cadre, role=StoredRole.CADRE, actor_telegram_id=1, now=now)
        starts = now + timedelta(days=3)
        activity = await activities.add(
            session,
            title="周五羽毛球",
            place="职工活动中心",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            deadline=starts - timedelta(days=1),
            capacity=PLACES,
            created_by=CADRE,
            created_at=now,
        )
    assert activity.id is not None
    return activity.id


async def _registered(db: Database, user: int) -> bool:
    async with db.read() as session:
        member = await members.get_by_telegram_id(session, user)
    return member is not None and member.registered_at is not None


async def register(day: Members, db: Database, user: int, name: str) -> None:
    """The whole form, each question answered as it comes (after a kill, /start resumes the
    form where it stopped)."""
    today = played_now().astimezone(SHANGHAI).date()
    born = f"1990-{today:%m-%d}" if user in BORN_TODAY else "1991-01-01"
    day.emu.user(user, name, language_code="zh-hans")
    # Each question, and what the member does about it: write (True) or press (False).
    form: list[tuple[Expect, str, bool]] = [
        (key("ask_name"), name, True),
        (key("ask_department"), "一车间", False),
        (key("ask_birthday"), born, True),
        (key("ask_share"), label("btn_share_yes"), False),
        (key("ask_hide_year"), label("btn_hide_year"), False),
        (key("ask_language"), "中文", False),
        (button(label("btn_confirm")), label("btn_confirm"), False),
    ]
    done = either(key("registered", name=name), key("welcome_back", name=name))

    async def steps() -> None:
        message = await day.send(user, "/start", either(done, *(asks for asks, _, _ in form)))
        while not done(message):
            index = next((n for n, (asks, _, _) in enumerate(form) if asks(message)), None)
            assert index is not None, f"not a question of the form: {message.text}"
            _, answer, typed = form[index]
            following = either(done, *(asks for n, (asks, _, _) in enumerate(form) if n != index))
            if typed:
                message = await day.send(user, answer, following)
            else:
                message = await day.press(user, message, answer, following)

    await journey(day, lambda: _registered(db, user), steps)


async def queue_notice(db: Database) -> int:
    """A cadre's notice to every member, asking for 收到 (queued as the bot queues one)."""
    now = played_now()
    async with db.begin() as session:
        notice = await notices.add(
            session,
            author_telegram_id=CADRE,
            text=NOTICE,
            target="members",
            require_ack=True,
            scheduled_at=now,
            created_at=now,
        )
        await release(session, notice, now=now, zone=SHANGHAI, union="工会", group_lang="zh")
    assert notice.id is not None
    return notice.id


async def _member_id(db: Database, user: int) -> int:
    async with db.read() as session:
        member = await members.get_by_telegram_id(session, user)
    assert member is not None and member.id is not None
    return member.id


async def confirm(day: Members, db: Database, user: int, notice_id: int) -> None:
    """The member waits for the notice and presses 收到."""
    member_id = await _member_id(db, user)

    async def confirmed() -> bool:
        async with db.read() as session:
            return member_id in await notices.confirmed_ids(session, notice_id)

    async def steps() -> None:
        async with asyncio.timeout(DRAIN_SECONDS):  # a killed bot's claims wait out their lease
            while not (copies := [m for m in day.emu.chat_messages(user) if NOTICE in m.text]):
                await day.emu.wait_changed(0.1)
        await day.press(user, copies[-1], label("btn_ack"))

    await journey(day, confirmed, steps)


async def _cases(db: Database) -> list[str]:
    async with db.read() as session:
        return list((await session.exec(select(Case.text))).all())


async def _entries(db: Database, actor: CaseActor) -> list[str]:
    async with db.read() as session:
        rows = await session.exec(select(CaseEntry).where(col(CaseEntry.actor) == actor))
        return [row.text for row in rows.all() if row.text]


async def report(day: Members, db: Database) -> None:
    """A member files a case, named, through the form."""

    async def steps() -> None:
        ask = await day.send(REPORTER, "/report", button(WAGES))
        await day.press(REPORTER, ask, WAGES)
        noted = await day.send(REPORTER, REPORT, key("report_noted"))
        who = await day.press(
            REPORTER, noted, label("btn_report_done"), button(label(BUTTON_LABELS[Identity.NAMED]))
        )
        await day.press(REPORTER, who, label(BUTTON_LABELS[Identity.NAMED]), key("report_summary"))
        await day.press(REPORTER, who, label("btn_report_send"), key("report_sent"))

    async def filed() -> bool:
        return REPORT in await _cases(db)

    await journey(day, filed, steps)


async def reply(day: Members, db: Database) -> None:
    """The cadre opens the case from /cases and replies."""
    async with db.read() as session:
        case_id = (await session.exec(select(Case.id))).first()
    assert case_id is not None

    async def steps() -> None:
        listing = await day.send(CADRE, "/cases", button(f"#{case_id} "))
        card = await day.press(CADRE, listing, f"#{case_id} ", key("desk_case"))
        await day.press(CADRE, card, label("btn_act_reply"), key("cancel_hint"))
        await day.send(CADRE, REPLY, key("desk_done"))

    async def replied() -> bool:
        return REPLY in await _entries(db, CaseActor.CADRE)

    await journey(day, replied, steps)


async def race(day: Members, db: Database, activity_id: int) -> None:
    """Everyone opens /activities, then all press 报名 at once; whoever got no answer (the bot
    was killed) looks again and presses again."""
    join = label("btn_act_join")
    lists = {}
    for user in PEOPLE:
        lists[user] = await again(functools.partial(_list, day, user))
    with contextlib.suppress(Interrupted):  # the journeys below retry what a kill cut off
        await day.press_all([(user, lists[user], join) for user in PEOPLE])
    for user in PEOPLE:
        member_id = await _member_id(db, user)

        async def signed(member_id: int = member_id) -> bool:
            async with db.read() as session:
                found = await activities.signup_of(
                    session, activity_id=activity_id, member_id=member_id
                )
            return found is not None

        async def steps(user: int = user) -> None:
            await day.press(user, await _list(day, user), join)

        await journey(day, signed, steps)


async def _list(day: Members, user: int) -> SentMessage:
    return await day.send(user, "/activities", button(label("btn_act_join")))


async def vote(day: Members, db: Database) -> None:
    """The cadre starts a secret ballot; each member waits for theirs and votes once."""

    async def steps() -> None:
        await day.send(CADRE, "/newvote", key("vote_template"))
        preview = await day.send(CADRE, VOTE, button(label("btn_vote_create")))
        await day.press(CADRE, preview, label("btn_vote_create"), key("vote_created"))

    async def started() -> bool:
        async with db.read() as session:
            return (await session.exec(select(Vote.id))).first() is not None

    await journey(day, started, steps)
    async with db.read() as session:
        vote_id = (await session.exec(select(Vote.id))).one()
    assert vote_id is not None
    for n, user in enumerate(PEOPLE):
        await _ballot(day, db, user, vote_id, "同意" if n % 3 else "不同意")


async def _ballot(day: Members, db: Database, user: int, vote_id: int, option: str) -> None:
    member_id = await _member_id(db, user)

    async def steps() -> None:
        async with asyncio.timeout(DRAIN_SECONDS):
            while not (ballot := [m for m in day.emu.chat_messages(user) if "作息" in m.text]):
                await day.emu.wait_changed(0.1)
        await day.press(user, ballot[-1], option)

    async def cast() -> bool:
        async with db.read() as session:
            return await votes.has_voted(session, vote_id=vote_id, member_id=member_id)

    await journey(day, cast, steps)


async def greet(day: Members, db: Database) -> None:
    """The cadre runs today's greetings (/greetnow; every start's first tick may have run
    them already: either way, one greeting each)."""

    async def steps() -> None:
        offer = await day.send(CADRE, "/greetnow", button(label("btn_greetnow")))
        await day.press(CADRE, offer, label("btn_greetnow"), key("greetnow_done"))

    async def queued() -> bool:
        async with db.read() as session:
            rows = await session.exec(
                select(Outbox.member_id).where(col(Outbox.kind) == OutboxKind.GREETING)
            )
            greeted = set(rows.all())
        return all([await _member_id(db, user) in greeted for user in BORN_TODAY])

    await journey(day, queued, steps)


async def play(day: Members, db: Database, activity_id: int) -> None:
    """The day, in order."""
    for user, name in PEOPLE.items():
        await register(day, db, user, name)
    notice_id = await queue_notice(db)
    for user in PEOPLE:
        await confirm(day, db, user, notice_id)
    await report(day, db)
    await reply(day, db)
    await race(day, db, activity_id)
    await vote(day, db)
    await greet(day, db)


async def drain(db: Database, day: Members) -> None:
    """Wait until the outbox has nothing left to send."""
    async with asyncio.timeout(DRAIN_SECONDS):
        while True:
            async with db.read() as session:
                if await outbox.count_open(session) == 0:
                    return
            await day.emu.wait_changed(0.2)


async def outcome(db: Database, day: Members) -> Outcome:
    """What the database holds after the day, and what the chats show."""
    async with db.read() as session:
        people = (await session.exec(select(Member))).all()
        signups = (await session.exec(select(Signup))).all()
        confirmed = (await session.exec(select(NoticeConfirmation.member_id))).all()
        sent = (await session.exec(select(Outbox).where(col(Outbox.sent_at).is_not(None)))).all()
    by_id = {m.id: m.telegram_id for m in people}
    copies, greeting_copies, missing = outbox_copies(day.emu, sent)
    return Outcome(
        registered=frozenset(
            (m.telegram_id, m.name)
            for m in people
            if m.registered_at is not None and m.telegram_id is not None
        ),
        reports=Counter(await _cases(db)),
        replies=Counter(await _entries(db, CaseActor.CADRE)),
        signed_up=frozenset(by_id[s.member_id] or 0 for s in signups),
        confirmed_places=sum(1 for s in signups if s.state == SignupState.CONFIRMED),
        confirmations=frozenset(by_id[m] or 0 for m in confirmed),
        greetings=Counter(m.chat_id for m in day.emu.sent if "生日快乐" in m.text),
        told_reply=frozenset(m.chat_id for m in day.emu.sent if says(m, "case_told_reply")),
        voted=await _turnout(db),
        tallies=await _tallies(db),
        duplicates=copies,
        duplicated_greetings=greeting_copies,
        delivered=len(sent),
        missing=missing,
    )


async def _turnout(db: Database) -> int:
    async with db.read() as session:
        vote_id = (await session.exec(select(Vote.id))).one()
        assert vote_id is not None
        return await votes.turnout(session, vote_id)


async def _tallies(db: Database) -> tuple[int, ...]:
    async with db.read() as session:
        vote_id = (await session.exec(select(Vote.id))).one()
        assert vote_id is not None
        return tuple(await votes.tallies(session, vote_id))
