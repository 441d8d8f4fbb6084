from datetime import UTC, datetime

from storage import members, notices
from storage.db import Database
from storage.statuses import NoticeWay

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


async def test_confirmations_count_once_per_member_and_department(db: Database) -> None:
    async with db.begin() as session:
        a = await members.add(session, now=NOW, telegram_id=1, name="甲", department="一车间")
        b = await members.add(session, now=NOW, telegram_id=2, name="乙", department="一车间")
        c = await members.add(session, now=NOW, telegram_id=3, name="丙", department="二车间")
        notice = await notices.add(
            session,
            author_telegram_id=9,
            text="通知",
            target="groups",
            scheduled_at=NOW,
            created_at=NOW,
        )
        assert notice.id is not None and a.id is not None and b.id is not None
        assert c.id is not None
        group, private = NoticeWay.GROUP, NoticeWay.PRIVATE
        reached = [(a.id, "一车间", group), (b.id, "一车间", group), (c.id, "二车间", private)]
        await notices.add_audience(session, notice_id=notice.id, reached=reached)
        await notices.add_audience(session, notice_id=notice.id, reached=reached[:1])  # ignored
        assert await notices.confirm(session, notice_id=notice.id, member_id=a.id, now=NOW)
        assert not await notices.confirm(session, notice_id=notice.id, member_id=a.id, now=NOW)
        assert await notices.confirm(session, notice_id=notice.id, member_id=c.id, now=NOW)
        assert await notices.department_counts(
            session, notice_id=notice.id, department="一车间"
        ) == (1, 2)
        assert await notices.department_counts(
            session, notice_id=notice.id, department="二车间"
        ) == (1, 1)
        audience = await notices.audience(session, notice.id)
    assert [(m.name, d) for m, d in audience] == [
        ("乙", "一车间"),
        ("甲", "一车间"),
        ("丙", "二车间"),
    ]


async def test_status_moves_only_once(db: Database) -> None:
    async with db.begin() as session:
        notice = await notices.add(
            session,
            author_telegram_id=9,
            text="通知",
            target="members",
            scheduled_at=NOW,
            created_at=NOW,
        )
        assert notice.id is not None
        assert await notices.due(session, now=NOW) != []
        assert await notices.take_if(session, notice.id, expected="scheduled", new="sending")
        assert not await notices.take_if(session, notice.id, expected="scheduled", new="sending")
        assert await notices.due(session, now=NOW) == []
