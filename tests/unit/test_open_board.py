"""The open board's rules without a database: the small-number rule, what free text may not
carry, the median per category, the 公示 period a cadre types, when the monthly post is due,
and a board that names nobody in either language."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.care.kinds import CareEvent
from bot.care.visits import CareStats
from bot.config import Config
from bot.core.flow import Rejected
from bot.core.states import Refused
from bot.openboard.board import Board, Decision
from bot.openboard.figures import CategoryRow, Count, case_rows, mask, redact
from bot.openboard.items import ITEM_STATES, ItemAction, last_day, parse_until
from bot.openboard.monthly import due_month
from bot.openboard.views import board_text
from bot.roles import Role
from storage.models import Case
from storage.statuses import CaseKind, CaseStatus, OpenItemStatus

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # a Tuesday, 09:30 in Shanghai
YEAR = datetime(2026, 1, 1, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("value", "least", "shown"),
    [(0, 3, "0"), (1, 3, "<3"), (2, 3, "<3"), (3, 3, "3"), (17, 3, "17"), (4, 5, "<5")],
)
def test_a_count_under_min_count_is_hidden_and_zero_is_not(
    value: int, least: int, shown: str
) -> None:
    assert mask(value, least) == shown
    assert Count.of(value, least).hidden == (shown.startswith("<"))


def test_free_text_loses_names_usernames_codes_and_long_numbers() -> None:
    text = "王小明（@wang_XM）的回执 QX7R2KPA，电话 13812345678，王小说了算，共 3 人"
    cleaned = redact(text, words=["王小明", "王小", "wang_xm"], codes=["QX7R2KPA"], hidden="＊")
    assert cleaned == "＊（@＊）的回执 ＊，电话 ＊，＊说了算，共 3 人"
    assert redact("一个字的名字不算", words=["字"], codes=[], hidden="＊") == "一个字的名字不算"


def _case(category: str, created: datetime, resolved: datetime | None) -> Case:
    return Case(
        code="X", kind=CaseKind.GRIEVANCE, category=category, department="一车间", text="",
        created_at=created, ack_due=created, resolve_due=created, resolved_at=resolved,
        status=CaseStatus.RESOLVED if resolved else CaseStatus.SUBMITTED,
    )  # fmt: skip


def test_cases_by_category_with_a_median_only_over_enough_cases() -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    found = [_case("工资待遇", start, start + timedelta(days=d)) for d in (1, 3, 8)]
    found += [_case("工资待遇", start, None)]
    found += [_case("欺凌骚扰", start, start + timedelta(days=2))]
    # Received last year, resolved this year: counts as resolved, not as received.
    found += [_case("安全生产", datetime(2025, 12, 1, tzinfo=UTC), start)]
    rows = case_rows(found, since=YEAR, now=NOW, min_count=3)
    assert rows == [
        CategoryRow("工资待遇", received=4, resolved=3, median_days=3.0),
        CategoryRow("欺凌骚扰", received=1, resolved=1, median_days=None),
        CategoryRow("安全生产", received=0, resolved=1, median_days=None),
    ]


@pytest.mark.parametrize(
    ("typed", "last"),
    [("7天", "2026-11-30"), ("一周", "2026-11-30"), ("七天", "2026-11-30"), ("1天", "2026-11-24"),
     ("2周", "2026-12-07"), ("12月9日", "2026-12-09"),
     ("2026-12-09", "2026-12-09"), ("下周五", "2026-12-04"), ("今天", "2026-11-24")],
)  # fmt: skip
def test_the_period_a_cadre_types_ends_after_its_last_day(typed: str, last: str) -> None:
    until = parse_until(typed, now=NOW, zone=ZONE)
    assert not isinstance(until, Rejected)
    assert last_day(until, ZONE).isoformat() == last
    assert until.astimezone(ZONE).hour == 0  # shown through the whole last day


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2026-11-20", "open_add_past"),
        ("过几天", "open_add_bad_until"),
        ("100天", "open_add_bad_until"),
        ("0天", "open_add_bad_until"),
        ("", "open_add_bad_until"),
        ("18:00", "open_add_bad_until"),
        ("7日", "open_add_bad_until"),
    ],
)
def test_a_period_that_will_not_do_says_why(typed: str, key: str) -> None:
    assert parse_until(typed, now=NOW, zone=ZONE) == Rejected(key)


def test_the_monthly_post_is_due_from_its_day_and_time_and_only_when_switched_on() -> None:
    off = Config()
    on = Config.model_validate(
        {"open": {"monthly_post": True, "post_day": 3, "post_time": "09:00"}}
    )
    moment = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    assert due_month(moment, off) is None
    assert due_month(moment - timedelta(minutes=1), on) is None
    assert due_month(moment, on) == datetime(2026, 12, 1).date()
    assert due_month(datetime(2026, 12, 31, 15, 59, tzinfo=UTC), on) == datetime(2026, 12, 1).date()
    assert due_month(datetime(2026, 12, 31, 16, 0, tzinfo=UTC), on) is None  # January 1st, CST


def _board() -> Board:
    care = CareStats(
        visits=Counter({CareEvent.WEDDING: 4, CareEvent.ILLNESS: 1, CareEvent.HARDSHIP: 2}),
        spent=Counter({CareEvent.WEDDING: 800, CareEvent.ILLNESS: 480, CareEvent.HARDSHIP: 3000}),
    )
    return Board(
        year=2026, care=care, caps={"wedding": 500, "illness": 500}, aid_granted=2,
        aid_amount=3000, cases=[CategoryRow("工资待遇", 5, 2, None)], adopted=1, declined=0,
        decisions=[Decision(case_id=7, adopted=True, text="", reason="")],
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_board_shows_no_small_figure_in_either_language(lang: str) -> None:
    text = board_text(_board(), lang, union="工会", zone=ZONE, now=NOW, least=3)  # type: ignore[arg-type]
    assert "800" in text and "&lt;3" in text
    assert "480" not in text  # one illness visit's money would be that member's
    assert "3000" not in text  # so would two households' aid
    assert "2 " not in text.replace("2026", "")  # the resolved count is masked too


def test_only_a_cadre_withdraws_and_only_a_shown_item() -> None:
    for status in OpenItemStatus:
        for role in Role:
            allowed = status == OpenItemStatus.SHOWN and role >= Role.CADRE
            assert ITEM_STATES.allows(status, ItemAction.WITHDRAW, role) == allowed
    with pytest.raises(Refused):
        ITEM_STATES.check(OpenItemStatus.WITHDRAWN, ItemAction.WITHDRAW, Role.ADMIN)
