"""More of the demo union, so every page of the console has something on it: a few people
only on the roster, a notice half confirmed and one scheduled, an anonymous grievance and an
overdue one, a life event with a visit over its cap waiting for the chair, an activity going
on now with people checked in, an open vote and a closed one. All through the services."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.posts import Live
from bot.activities.signups import check_in, join
from bot.care.events import report_event
from bot.care.kinds import CareEvent
from bot.care.visits import record_visit
from bot.cases.service import Identity, submit
from bot.config import Config
from bot.notices.confirmations import confirm
from bot.notices.form import NoticeDraft
from bot.notices.release import release
from bot.notices.schedule import create
from bot.roles import Role
from bot.votes.ballots import cast, start
from bot.votes.form import VoteDraft
from bot.votes.results import close
from storage import activities, members
from storage.models import Member
from storage.statuses import NoticeTarget

ROSTER_ONLY = (("钱多多", "质检部"), ("孙悦", "二车间"), ("周鹏", "一车间"))


async def fill(session: AsyncSession, config: Config, *, cadre: Member, now: datetime) -> None:
    people = await members.registered(session)
    workers = [m for m in people if m.telegram_id is not None and m.telegram_id >= 910_000]
    for name, department in ROSTER_ONLY:
        await members.add(session, now=now, name=name, department=department)
    await _notices(session, config, workers, now)
    await _cases(session, config, workers, cadre, now)
    await _activity(session, config, workers, now)
    await _votes(session, config, workers, now)


async def _notices(
    session: AsyncSession, config: Config, workers: list[Member], now: datetime
) -> None:
    union = config.union
    draft = NoticeDraft(
        text="本周五下午三点在食堂二楼召开职工代表座谈会，请各车间代表准时参加。",
        target=NoticeTarget.GROUPS,
        ack=True,
    )
    notice = await create(session, draft, author=0, now=now - timedelta(hours=3))
    await release(
        session,
        notice,
        now=now - timedelta(hours=3),
        zone=union.zone,
        union=union.name,
        group_lang=union.default_language,
    )
    assert notice.id is not None
    for member in workers[::2]:
        await confirm(
            session,
            notice_id=notice.id,
            member=member,
            now=now,
            union=union.name,
            group_lang=union.default_language,
            interval=timedelta(seconds=10),
        )
    later = NoticeDraft(
        text="下周一起食堂早餐供应时间调整为 6:30-8:30。",
        target=NoticeTarget.BOTH,
        when=now + timedelta(days=1),
    )
    await create(session, later, author=0, now=now)


async def _cases(
    session: AsyncSession, config: Config, workers: list[Member], cadre: Member, now: datetime
) -> None:
    await submit(
        session,
        reporter=workers[1],
        category="工时加班",
        identity=Identity.ANONYMOUS,
        text="夜班这两个月的加班费都没有按 1.5 倍算，班长说是新规定，想问问工会。",
        attachments=[],
        now=now - timedelta(hours=5),
        config=config,
    )
    await submit(
        session,
        reporter=workers[2],
        category="食堂宿舍设施",
        identity=Identity.NAMED,
        text="三号宿舍楼的热水器坏了十天，报修后一直没人来。",
        attachments=[],
        now=now - timedelta(days=12),
        config=config,
    )
    ill = await report_event(
        session,
        reporter=workers[4],
        event=CareEvent.ILLNESS,
        subject=workers[4].name,
        details="阑尾炎手术，在市一院住院一周。",
        share=False,
        now=now - timedelta(days=1),
        config=config,
    )
    assert ill.id is not None
    await record_visit(
        session,
        case_id=ill.id,
        cadre=cadre,
        role=Role.CADRE,
        amount=800,
        note="水果、营养品和慰问金",
        now=now,
        config=config,
    )


async def _activity(
    session: AsyncSession, config: Config, workers: list[Member], now: datetime
) -> None:
    """A badminton session going on now: some signed up yesterday, some checked in."""
    starts = now - timedelta(minutes=40)
    activity = await activities.add(
        session,
        title="羽毛球活动",
        description="球拍和羽毛球由工会提供，请穿运动鞋。",
        place="职工活动中心",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        deadline=starts,
        capacity=12,
        departments=None,
        guests_max=0,
        created_by=0,
        created_at=now,
    )
    assert activity.id is not None
    yesterday = Live(config, now - timedelta(days=1), timedelta(seconds=10))
    for member in workers[:8]:
        await join(
            session, activity_id=activity.id, member=member, role=Role.MEMBER, live=yesterday
        )
    for member in workers[:5]:
        await check_in(
            session,
            activity_id=activity.id,
            member=member,
            role=Role.MEMBER,
            now=now,
            config=config,
        )


async def _votes(
    session: AsyncSession, config: Config, workers: list[Member], now: datetime
) -> None:
    trip = VoteDraft(
        question="今年职工疗休养去哪里？",
        options=["黄山", "千岛湖", "厦门"],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=3),
    )
    vote = await start(session, trip, author=0, now=now - timedelta(days=1), config=config)
    for index, member in enumerate(workers[:11]):
        await cast(
            session,
            vote_id=vote.id or 0,
            member=member,
            option=index % 3,
            role=Role.MEMBER,
            now=now,
        )
    food = VoteDraft(
        question="食堂夜宵加不加面条？",
        options=["加", "不加"],
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(hours=1),
    )
    done = await start(session, food, author=0, now=now - timedelta(days=3), config=config)
    for index, member in enumerate(workers[:17]):
        await cast(
            session,
            vote_id=done.id or 0,
            member=member,
            option=int(index % 4 == 0),
            role=Role.MEMBER,
            now=now,
        )
    await close(session, done.id or 0, role=Role.CADRE, now=now, config=config)
