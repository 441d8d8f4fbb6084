from datetime import UTC, date, datetime

from bot.config import Config
from bot.greetings.celebrations import celebrating_on
from bot.greetings.daily_run import daily_run
from storage import jobs, members, outbox
from storage.db import Database
from storage.statuses import OutboxKind

NOW = datetime(2026, 11, 24, tzinfo=UTC)


async def _add(
    db: Database, telegram_id: int, kind: str, month: int, day: int, *, leap: bool = False
) -> None:
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=telegram_id, name=f"m{telegram_id}", department="一车间",
            bday_kind=kind, bday_month=month, bday_day=day, bday_leap=leap,
        )  # fmt: skip
        await members.mark_registered(session, member, now=NOW)


async def test_the_index_query_finds_each_rule(db: Database) -> None:
    await _add(db, 1, "solar", 2, 29)
    await _add(db, 2, "lunar", 12, 30)
    await _add(db, 3, "lunar", 12, 29)
    await _add(db, 4, "lunar", 6, 10, leap=True)
    await _add(db, 5, "lunar", 6, 10)
    await _add(db, 6, "solar", 7, 23)
    async with db.read() as session:
        feb28 = {m.telegram_id for m in await celebrating_on(session, date(2026, 2, 28))}
        eve = {m.telegram_id for m in await celebrating_on(session, date(2026, 2, 16))}
        july23 = {m.telegram_id for m in await celebrating_on(session, date(2026, 7, 23))}
        leap_2036 = {m.telegram_id for m in await celebrating_on(session, date(2036, 8, 1))}
        other = await celebrating_on(session, date(2026, 7, 23), ["二车间"])
    assert feb28 == {1}
    assert eve == {2, 3}  # 腊月廿九 is the last day of that 腊月
    assert july23 == {4, 5, 6}  # 2026 has no leap 6th month
    assert leap_2036 == {4}
    assert other == []


async def test_a_job_runs_once_a_day(db: Database) -> None:
    async with db.begin() as session:
        assert not await jobs.has_run(session, job="greetings", day=date(2026, 11, 24))
        await jobs.mark_run(session, job="greetings", day=date(2026, 11, 24), now=NOW)
        await jobs.mark_run(session, job="greetings", day=date(2026, 11, 24), now=NOW)
    async with db.read() as session:
        assert await jobs.has_run(session, job="greetings", day=date(2026, 11, 24))
        assert not await jobs.has_run(session, job="greetings", day=date(2026, 11, 25))


async def test_a_manual_run_is_claimed_once_under_its_number(db: Database) -> None:
    day = date(2026, 11, 24)
    async with db.begin() as session:
        await jobs.mark_run(session, job="greetings", day=day, now=NOW)
        assert await jobs.count_runs(session, prefix="greetings:again:", day=day) == 0
        assert await jobs.claim_run(session, job="greetings:again:1", day=day, now=NOW)
        assert not await jobs.claim_run(session, job="greetings:again:1", day=day, now=NOW)
        assert await jobs.claim_run(session, job="greetings:again:2", day=day, now=NOW)
    async with db.read() as session:
        assert await jobs.count_runs(session, prefix="greetings:again:", day=day) == 2
        tomorrow = date(2026, 11, 25)
        assert await jobs.count_runs(session, prefix="greetings:again:", day=tomorrow) == 0


async def test_admins_hear_once_that_a_years_calendar_is_unpublished(db: Database) -> None:
    config = Config.model_validate({"union": {"admins": [7, 8]}})
    for day in (date(2099, 6, 1), date(2099, 6, 2)):
        async with db.begin() as session:
            await daily_run(session, now=NOW, config=config, day=day)
    async with db.read() as session:
        warnings = [
            await outbox.get_by_key(session, f"calendar:unpublished:2099:admin:{a}") for a in (7, 8)
        ]
        assert await outbox.count_open(session) == 2
    assert all(w is not None and "2099" in w.payload["parts"][0]["text"] for w in warnings)
    assert all(w is not None and w.kind == OutboxKind.ALERT for w in warnings)


async def test_a_long_digest_goes_in_parts_telegram_accepts(db: Database) -> None:
    day = date(2026, 11, 24)  # a Tuesday
    config = Config.model_validate({"union": {"admins": [7, 8]}})
    async with db.begin() as session:
        for index in range(400):  # tomorrow's birthdays: a line each in the week ahead
            member = await members.add(
                session, now=NOW, telegram_id=10_000 + index, name=f"工友{index:03d}",
                department="一车间", bday_kind="solar", bday_month=11, bday_day=25,
            )  # fmt: skip
            await members.mark_registered(session, member, now=NOW)
        await daily_run(session, now=NOW, config=config, day=day)
    async with db.read() as session:
        digests = [await outbox.get_by_key(session, f"digest:{day}:user:{a}") for a in (7, 8)]
    assert all(d is not None and d.kind == OutboxKind.DIGEST for d in digests)
    parts = [d.payload["parts"] for d in digests if d is not None]
    assert parts[0] == parts[1] and len(parts[0]) > 1
    assert all(len(part["text"]) <= 4096 for part in parts[0])
    assert "工友399" in parts[0][-1]["text"]
