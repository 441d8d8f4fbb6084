"""The storage a notice's reach rests on: the roster read a page at a time with what decides
each person's way, members marked unreachable and back, the audience with its ways, and the
people a notice missed with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import members, notices
from storage.db import Database
from storage.statuses import NoticeWay

NOW = datetime(2026, 12, 3, 1, 30, tzinfo=UTC)


async def test_the_roster_is_read_in_pages_with_what_decides_the_way(db: Database) -> None:
    async with db.begin() as session:
        added = []
        for index in range(5):
            department = "质检部" if index % 2 else "一车间"
            member = await members.add(
                session,
                now=NOW,
                telegram_id=100 + index,
                name=f"会员{index}",
                department=department,
            )
            if index != 3:
                await members.mark_registered(session, member, now=NOW)
            added.append(member)
        await members.mark_unreachable(session, added[1], reason="blocked", now=NOW)
        first = await members.roster_page(session, departments=None, limit=2)
        rest = await members.roster_page(session, departments=None, after_id=first[-1].id)
        quality = await members.roster_page(session, departments=["质检部"])
    assert [p.name for p in first + rest] == [f"会员{i}" for i in range(5)]
    assert [(p.name, p.registered, p.active, p.unreachable) for p in quality] == [
        ("会员1", True, False, "blocked"),
        ("会员3", False, True, None),
    ]
    assert quality[0].telegram_id == 101 and quality[0].language == "zh"


async def test_an_unreachable_member_is_reachable_again_once_cleared(db: Database) -> None:
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=7, name="王五", department="一车间"
        )
        await members.mark_unreachable(session, member, reason="deactivated", now=NOW)
    async with db.begin() as session:
        again = await members.get_by_telegram_id(session, 7)
        assert again is not None and not again.active and again.unreachable == "deactivated"
        await members.update(session, again, now=NOW, active=True, unreachable=None)
    async with db.read() as session:
        [person] = await members.roster_page(session, departments=None)
    assert person.active and person.unreachable is None


async def test_a_notice_records_whom_it_reached_by_which_way_and_whom_it_missed(
    db: Database,
) -> None:
    async with db.begin() as session:
        a = await members.add(session, now=NOW, telegram_id=1, name="甲", department="一车间")
        b = await members.add(session, now=NOW, telegram_id=2, name="乙", department="质检部")
        c = await members.add(session, now=NOW, name="丙", department="质检部")
        notice = await notices.add(
            session,
            author_telegram_id=9,
            text="通知",
            target="groups",
            scheduled_at=NOW,
            created_at=NOW,
        )
        assert notice.id is not None and a.id and b.id and c.id
        reached = [(a.id, "一车间", NoticeWay.GROUP), (b.id, "质检部", NoticeWay.PRIVATE)]
        await notices.add_audience(session, notice_id=notice.id, reached=reached)
        await notices.add_missed(session, notice_id=notice.id, missed=[(c.id, "质检部", "x")])
        # Released twice (two instances, a retry): nothing is recorded twice.
        await notices.add_audience(session, notice_id=notice.id, reached=reached)
        await notices.add_missed(session, notice_id=notice.id, missed=[(c.id, "质检部", "x")])
        names = await notices.audience_names(session, notice.id)
        missed = await notices.missed(session, notice.id)
        totals = await notices.totals(session, [notice.id])
    assert [(name, department, way) for _, name, department, way in names] == [
        ("甲", "一车间", NoticeWay.GROUP),
        ("乙", "质检部", NoticeWay.PRIVATE),
    ]
    assert missed == [("丙", "质检部", "x")]
    assert totals == {notice.id: (2, 0)}  # the missed are not in the count
