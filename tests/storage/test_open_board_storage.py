"""The open board's queries on both databases: an item is shown only within its period and
until withdrawn (a withdrawal races once), and the year's cases are picked by kind and date."""

from datetime import timedelta

from bot.clock import ManualClock
from storage import cases, members, open_board
from storage.db import Database
from storage.statuses import CaseKind, CaseStatus, OpenItemStatus


async def test_an_item_is_shown_in_its_period_until_withdrawn_once(
    db: Database, clock: ManualClock
) -> None:
    now = clock.now()
    async with db.begin() as session:
        week = await open_board.add_item(
            session, text="中秋福利发放名单公示", starts_at=now, ends_at=now + timedelta(days=7),
            created_at=now,
        )  # fmt: skip
        later = await open_board.add_item(
            session, text="明年的公示", starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=3), created_at=now,
        )  # fmt: skip
    async with db.read() as session:
        assert [i.id for i in await open_board.shown_items(session, now=now)] == [week.id]
        shown = await open_board.shown_items(session, now=now + timedelta(days=2))
        assert [i.id for i in shown] == [week.id, later.id]
        assert await open_board.shown_items(session, now=now + timedelta(days=7)) == []
    async with db.begin() as session:
        item = await open_board.get_item(session, week.id or 0)
        assert item is not None
        assert await open_board.withdraw(session, item, now=now)
        assert item.status == OpenItemStatus.WITHDRAWN and item.withdrawn_at == now
        assert not await open_board.withdraw(session, item, now=now)  # the second press
    async with db.read() as session:
        assert await open_board.shown_items(session, now=now) == []


async def test_the_years_cases_and_the_names_to_hide(db: Database, clock: ManualClock) -> None:
    now = clock.now()
    last_year = now - timedelta(days=400)
    async with db.begin() as session:
        wang = await members.add(
            session, now=now, name="王小明", department="一车间", username="wang_xm"
        )
        await members.add(session, now=now, name="李华", department="一车间")

        async def case(code: str, kind: CaseKind, created: object, **fields: object) -> int:
            added = await cases.add(
                session, code=code, kind=kind, category="工资待遇", department="一车间",
                text="", reporter_member_id=wang.id, created_at=created, ack_due=created,
                resolve_due=created, **fields,
            )  # fmt: skip
            return added.id or 0

        fresh = await case("A1", CaseKind.GRIEVANCE, now)
        carried = await case(
            "A2", CaseKind.GRIEVANCE, last_year, status=CaseStatus.RESOLVED, resolved_at=now
        )
        await case("A3", CaseKind.GRIEVANCE, last_year)  # last year's, untouched since
        await case("A4", CaseKind.SUGGESTION, now)
    since = now - timedelta(days=30)
    async with db.read() as session:
        found = await open_board.cases_since(session, kinds=[CaseKind.GRIEVANCE], since=since)
        assert [c.id for c in found] == [fresh, carried]
        assert sorted(await open_board.people_words(session)) == ["wang_xm", "李华", "王小明"]
