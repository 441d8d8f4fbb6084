"""The case card: within Telegram's limit however long the case, never naming an anonymous
reporter, every step with its time and actor."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cases.desk import Card, card_view
from bot.cases.views import own_case
from bot.config import CasesConfig
from bot.core.text_split import visible_length
from bot.emulator.html_check import parse_html
from bot.roles import Role
from storage.models import Case, CaseEntry
from storage.statuses import CaseActor, CaseEntryAction, CaseKind, CaseStatus

NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Shanghai")
REPORTER, CADRE = 7, 8


def _case(*, anonymous: bool) -> Case:
    return Case(
        id=5,
        code="ABCDEFGH",
        kind=CaseKind.GRIEVANCE,
        category="工资待遇",
        department="一车间",
        text="<b>加班费</b>没有发。" * 2000,
        anonymous=anonymous,
        reporter_member_id=REPORTER,
        assignee_member_id=CADRE,
        status=CaseStatus.ESCALATED,
        created_at=NOW,
        ack_due=NOW,
        resolve_due=NOW + timedelta(days=7),
    )


def _thread() -> list[CaseEntry]:
    steps = [
        CaseEntry(
            case_id=5,
            at=NOW + timedelta(minutes=i),
            actor=CaseActor.CADRE if i % 2 else CaseActor.REPORTER,
            cadre_member_id=CADRE if i % 2 else None,
            action=CaseEntryAction.REPLY if i % 2 else CaseEntryAction.ADDED_INFO,
            text="说明" * 1000,
        )
        for i in range(40)
    ]
    rated = CaseEntry(
        case_id=5,
        at=NOW,
        actor=CaseActor.REPORTER,
        action=CaseEntryAction.RATED,
        text="not satisfied",
    )
    return [*steps, rated]


def test_a_long_case_fits_its_card_and_hides_an_anonymous_reporter() -> None:
    card = Card(_case(anonymous=True), _thread(), {REPORTER: "李华", CADRE: "陈干事"})
    text, keyboard = card_view(card, "zh", zone=ZONE, role=Role.CADRE)
    plain = parse_html(text)
    assert visible_length(plain) <= 4096
    assert "李华" not in text and "匿名" in plain and "陈干事" in plain
    assert "不满意" in plain  # the rating, in words
    assert keyboard.rows  # an escalated grievance can still be moved on


def test_a_named_reporter_is_shown_and_their_own_view_fits_too() -> None:
    card = Card(_case(anonymous=False), _thread(), {REPORTER: "李华", CADRE: "陈干事"})
    text, _ = card_view(card, "en", zone=ZONE, role=Role.ADMIN)
    assert "李华" in text and "escalated" in parse_html(text)
    mine, _ = own_case(card.case, card.thread, "zh", CasesConfig())
    assert visible_length(parse_html(mine)) <= 4096
