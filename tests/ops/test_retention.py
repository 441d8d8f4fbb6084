"""The nightly retention job on each database: settled outbox rows after 30 days, rights
questions after 90, finished cases anonymised after N years with their facts kept, audit
trails kept; run once a night however many instances try."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import col, func, select

from bot.clock import ManualClock
from bot.config import Config, ConfigError, parse_config
from bot.delivery.limiter import FloodLimiter
from bot.delivery.runtime import DeliveryRuntime
from bot.deps import Deps
from bot.ops import retention
from storage import members, outbox
from storage.db import Database
from storage.models import Case, CaseEntry, KbQuestion, Outbox, RoleChange
from storage.retention import BATCH
from storage.statuses import (
    CaseActor,
    CaseEntryAction,
    CaseKind,
    CaseStatus,
    OutboxKind,
    OutboxStatus,
    StoredRole,
)

NOW = datetime(2026, 12, 3, 20, 15, tzinfo=UTC)  # 04:15 in Shanghai
OLD_ROWS = BATCH * 2 + 37  # more than two batches


def _deps(db: Database, clock: ManualClock) -> Deps:
    limiter = FloodLimiter(overall_per_second=30, private_per_second=1, group_per_minute=20)
    return Deps(config=Config(), db=db, clock=clock, delivery=DeliveryRuntime(limiter))


def _row(key: str, status: OutboxStatus, *, age: timedelta) -> dict[str, object]:
    at = NOW - age
    return {
        "key": key,
        "kind": OutboxKind.NOTICE,
        "chat_id": 1,
        "status": status,
        "created_at": at,
        "not_before": at,
        "payload": {"text": "通知"},
    }


async def _seed_outbox(db: Database) -> None:
    old, recent = timedelta(days=31), timedelta(days=29)
    rows = [_row(f"old-{i}", OutboxStatus.SENT, age=old) for i in range(OLD_ROWS)]
    rows += [
        _row(f"old-{s}", s, age=old)
        for s in (OutboxStatus.FAILED, OutboxStatus.INACTIVE, OutboxStatus.CANCELLED)
    ]
    rows += [_row("old-pending", OutboxStatus.PENDING, age=old)]
    rows += [_row("recent-sent", OutboxStatus.SENT, age=recent)]
    async with db.begin() as session:
        await outbox.enqueue(session, rows, now=NOW)


def _case(code: str, *, status: CaseStatus, finished: datetime | None, reporter: int) -> Case:
    created = (finished or NOW) - timedelta(days=10)
    return Case(
        code=code,
        kind=CaseKind.GRIEVANCE,
        category="加班",
        department="一车间",
        text=f"{code}: 王芳说车间加班没有加班费",
        attachments=[{"file_id": "x"}],
        reporter_member_id=reporter,
        status=status,
        created_at=created,
        ack_due=created,
        resolve_due=created,
        resolved_at=finished,
        closed_at=finished if status == CaseStatus.CLOSED else None,
        rating=1,
    )


async def _seed_people(db: Database) -> tuple[int, dict[str, int]]:
    years = timedelta(days=365)
    async with db.begin() as session:
        member = await members.add(
            session, now=NOW, telegram_id=555, name="王芳", department="一车间"
        )
        assert member.id is not None
        session.add(
            RoleChange(
                actor_telegram_id=1, member_id=member.id, role=StoredRole.CADRE, at=NOW - 5 * years
            )
        )
        cases = {
            "old": _case(
                "G-OLD", status=CaseStatus.CLOSED, finished=NOW - 4 * years, reporter=member.id
            ),
            "old-resolved": _case(
                "G-RES", status=CaseStatus.RESOLVED, finished=NOW - 4 * years, reporter=member.id
            ),
            "recent": _case(
                "G-NEW", status=CaseStatus.CLOSED, finished=NOW - years, reporter=member.id
            ),
            "open": _case(
                "G-OPEN", status=CaseStatus.IN_PROGRESS, finished=None, reporter=member.id
            ),
        }
        cases["open"].created_at = NOW - 5 * years
        for case in cases.values():
            session.add(case)
        await session.flush()
        ids = {name: case.id for name, case in cases.items() if case.id is not None}
        for case_id in ids.values():
            session.add(
                CaseEntry(
                    case_id=case_id,
                    at=NOW - 5 * years,
                    actor=CaseActor.REPORTER,
                    action=CaseEntryAction.SUBMITTED,
                    text="王芳补充：上月加了 40 小时",
                )
            )
        asked: list[tuple[int, int | None]] = [(91, None), (91, ids["recent"]), (92, ids["old"])]
        for age, tied in [*asked, (89, None)]:
            session.add(
                KbQuestion(
                    member_id=member.id,
                    text=f"加班费怎么算 {age}",
                    at=NOW - timedelta(days=age),
                    case_id=tied,
                )
            )
    return member.id, ids


async def test_a_night_purges_what_is_old_and_keeps_the_rest(db: Database) -> None:
    await _seed_outbox(db)
    member_id, ids = await _seed_people(db)
    done = await retention.apply(db, Config().retention, now=NOW)
    assert (done.outbox, done.cases) == (OLD_ROWS + 3, 2)
    async with db.read() as session:
        left = {row.key for row in (await session.exec(select(Outbox))).all()}
        questions = (await session.exec(select(KbQuestion).order_by(col(KbQuestion.id)))).all()
        cases = {c.code: c for c in (await session.exec(select(Case))).all()}
        entries = (await session.exec(select(CaseEntry))).all()
        audit = (await session.exec(select(func.count()).select_from(RoleChange))).one()
    assert left == {"old-pending", "recent-sent"}
    assert [(q.text, q.member_id, q.case_id) for q in questions] == [
        ("加班费怎么算 91", None, ids["recent"]),  # untied from its asker, kept with its case
        ("", None, ids["old"]),  # anonymised with its case
        ("加班费怎么算 89", member_id, None),
    ]
    for code in ("G-OLD", "G-RES"):
        case = cases[code]
        assert (case.text, case.attachments, case.reporter_member_id) == ("", [], None)
        assert (case.category, case.department, case.status, case.rating) == (
            "加班",
            "一车间",
            cases[code].status,
            1,
        )
        assert case.resolved_at is not None and case.created_at is not None
    for code in ("G-NEW", "G-OPEN"):
        assert "王芳" in cases[code].text and cases[code].reporter_member_id == member_id
    erased = {e.case_id for e in entries if e.text is None}
    assert erased == {ids["old"], ids["old-resolved"]} and len(entries) == 4
    assert audit == 1
    again = await retention.apply(db, Config().retention, now=NOW)
    assert again == retention.Retained()


async def test_the_night_runs_once_across_instances(db: Database) -> None:
    clock = ManualClock(NOW)
    await _seed_outbox(db)
    first, second = _deps(db, clock), _deps(db, clock)
    done = await retention.nightly(first, instance="worker-a")
    assert done is not None and done.outbox == OLD_ROWS + 3
    assert await retention.nightly(second, instance="worker-b") is None
    assert await retention.nightly(first, instance="worker-a") is None
    registry = first.metrics.registry
    runs = registry.get_sample_value("unionbridge_job_runs_total", {"job": "retention"})
    assert runs == 1
    clock.advance(timedelta(days=1))  # the next night is a new run
    assert await retention.nightly(second, instance="worker-b") == retention.Retained()


def test_the_retention_section_is_checked() -> None:
    config = parse_config('[retention]\ntime = "03:45"\nclosed_case_years = 5\n')
    assert config.retention.run_at == time(3, 45) and config.retention.closed_case_years == 5
    with pytest.raises(ConfigError, match=r"\[retention\] time"):
        parse_config('[retention]\ntime = "25:00"\n')
    with pytest.raises(ConfigError, match=r"\[retention\] unknown"):
        parse_config("[retention]\nunknown = 1\n")
