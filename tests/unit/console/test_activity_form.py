"""The console's activity form: every problem named next to its field, a good form read into
the same draft the chat's template gives."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.activities.form_fields import read_fields
from bot.activities.template import ActivityDraft

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
DEPARTMENTS = ["一车间", "二车间", "质检部"]
GOOD = {
    "title": "篮球友谊赛",
    "date": "2026-11-28",
    "start": "19:00",
    "end": "21:00",
    "place": "厂区篮球场",
    "capacity": "10",
    "guests": "1",
    "departments": ["一车间"],
    "weekly": False,
    "list_visible": True,
}


def read(**changes: object) -> ActivityDraft | dict[str, str]:
    return read_fields(GOOD | changes, now=NOW, zone=ZONE, departments=DEPARTMENTS)


def test_a_good_form_is_the_chat_templates_draft() -> None:
    draft = read()
    assert isinstance(draft, ActivityDraft)
    assert draft.starts_at == datetime(2026, 11, 28, 19, 0, tzinfo=ZONE)
    assert draft.ends_at == datetime(2026, 11, 28, 21, 0, tzinfo=ZONE)
    assert draft.deadline == draft.starts_at
    assert (draft.capacity, draft.guests_max, draft.departments) == (10, 1, ["一车间"])


def test_every_problem_is_named_at_its_field_at_once() -> None:
    errors = read(title="", date="2026-02-30", start="25:00", capacity="0", guests="9",
                  departments=["火星车间"])  # fmt: skip
    assert errors == {
        "title": "console_act_title",
        "date": "console_act_date",
        "start": "console_act_time",
        "capacity": "console_act_capacity",
        "guests": "console_act_guests",
        "departments": "console_bad_department",
    }


def test_times_in_the_past_or_a_late_deadline_are_refused() -> None:
    assert read(date="2026-11-23") == {"date": "console_act_future"}
    late = read(deadline_date="2026-11-29", deadline_time="08:00")
    assert late == {"deadline": "console_act_deadline"}
    half = read(deadline_date="2026-11-27")
    assert half == {"deadline": "console_act_deadline"}


def test_empty_capacity_is_unlimited_and_no_department_is_all_of_them() -> None:
    draft = read(capacity="", departments=[])
    assert isinstance(draft, ActivityDraft)
    assert draft.capacity is None and draft.departments is None


def test_an_evening_that_ends_after_midnight_ends_the_next_day() -> None:
    draft = read(start="22:00", end="01:00")
    assert isinstance(draft, ActivityDraft)
    assert draft.ends_at == datetime(2026, 11, 29, 1, 0, tzinfo=ZONE)
