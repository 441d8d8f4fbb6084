"""Case and visit storage on both databases: the compare-and-sets a double tap relies on."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage import cases, members, visits
from storage.db import Database
from storage.models import Case
from storage.statuses import CaseActor, CaseEntryAction, CaseKind, CaseStatus, VisitStatus

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


async def _case(db: Database) -> tuple[int, int]:
    async with db.begin() as session:
        cadre = await members.add(
            session, now=NOW, telegram_id=1, name="陈干事", department="一车间"
        )
        case = await cases.add(
            session,
            code="TESTCODE",
            kind=CaseKind.SUGGESTION,
            category="合理化建议",
            department="一车间",
            text="装饮水机",
            created_at=NOW,
            ack_due=NOW + timedelta(days=1),
            resolve_due=NOW + timedelta(days=7),
        )
        assert case.id is not None and cadre.id is not None
        return case.id, cadre.id


async def test_a_status_moves_only_from_the_status_it_was_read_in(db: Database) -> None:
    case_id, _ = await _case(db)
    async with db.begin() as session:
        first = await cases.get(session, case_id)
        assert first is not None
        assert await cases.transition(session, first, to=CaseStatus.ADOPTED, acknowledged_at=NOW)
        assert first.status == CaseStatus.ADOPTED and first.acknowledged_at == NOW
    async with db.begin() as session:
        read = await cases.get(session, case_id)
        assert read is not None and read.status == CaseStatus.ADOPTED
        # Another cadre publishes it meanwhile (behind this session's back).
        moved = update(Case).where(Case.id == case_id).values(status=CaseStatus.PUBLISHED)  # type: ignore[arg-type]
        await session.exec(moved.execution_options(synchronize_session=False))  # type: ignore[call-overload]
        assert read.status == CaseStatus.ADOPTED
        assert not await cases.transition(session, read, to=CaseStatus.DECLINED)
        assert read.status == CaseStatus.PUBLISHED  # refreshed: it shows what happened


async def test_assigning_twice_to_the_same_cadre_assigns_once(db: Database) -> None:
    case_id, cadre_id = await _case(db)
    async with db.begin() as session:
        case = await cases.get(session, case_id)
        assert case is not None
        assert await cases.assign(session, case, assignee_id=cadre_id)
        assert not await cases.assign(session, case, assignee_id=cadre_id)
        assert case.assignee_member_id == cadre_id


async def test_entries_keep_their_action_as_an_enum(db: Database) -> None:
    case_id, cadre_id = await _case(db)
    async with db.begin() as session:
        await cases.add_entry(
            session,
            case_id=case_id,
            actor=CaseActor.CADRE,
            action=CaseEntryAction.PUBLISH,
            at=NOW,
            cadre_member_id=cadre_id,
        )
    async with db.read() as session:
        [entry] = await cases.entries(session, case_id)
    assert entry.action is CaseEntryAction.PUBLISH and entry.actor is CaseActor.CADRE


async def test_a_pending_visit_is_approved_once(db: Database) -> None:
    case_id, cadre_id = await _case(db)
    async with db.begin() as session:
        visit = await visits.add(
            session,
            case_id=case_id,
            cadre_member_id=cadre_id,
            amount=800,
            note="水果",
            at=NOW,
            status=VisitStatus.PENDING,
        )
        assert await visits.approve(session, visit, chair=9, reason="病重")
        assert not await visits.approve(session, visit, chair=9, reason="再批一次")
        assert visit.status == VisitStatus.APPROVED and visit.approval_reason == "病重"
    async with db.read() as session:
        [(found, case)] = await visits.since(session, NOW - timedelta(days=1))
        assert found.amount == 800 and case.id == case_id
        assert await visits.since(session, NOW + timedelta(days=1)) == []
