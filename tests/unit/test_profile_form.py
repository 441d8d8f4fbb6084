from datetime import date

from bot.members.profile_form import (
    Accepted,
    Rejected,
    Step,
    accept_choice,
    accept_text,
    clean_name,
    next_step,
)

DEPTS = ["一车间", "二车间"]
TODAY = date(2026, 11, 24)


def test_steps_skip_questions_that_do_not_apply() -> None:
    with_year = {"birthday": {"kind": "solar", "month": 8, "day": 15, "leap": False, "year": 1995}}
    no_year = {"birthday": {"kind": "lunar", "month": 8, "day": 15, "leap": False, "year": None}}
    assert next_step(Step.NAME, {}) == Step.DEPARTMENT
    assert next_step(Step.BIRTHDAY, with_year) == Step.SHARE
    assert next_step(Step.SHARE, with_year) == Step.HIDE_YEAR
    assert next_step(Step.SHARE, no_year) == Step.LANGUAGE
    assert next_step(Step.BIRTHDAY, {"birthday": None}) == Step.LANGUAGE
    assert next_step(Step.LANGUAGE, {}) == Step.CONFIRM


def test_a_button_from_another_step_has_expired() -> None:
    assert accept_choice(Step.NAME, "dept", "0", departments=DEPTS) == Rejected("button_expired")
    assert accept_choice(Step.DEPARTMENT, "dept", "7", departments=DEPTS) == Rejected(
        "button_expired"
    )
    assert accept_choice(Step.LANGUAGE, "lang", "fr", departments=DEPTS) == Rejected(
        "button_expired"
    )
    assert accept_choice(Step.DEPARTMENT, "dept", "1", departments=DEPTS) == Accepted(
        {"department": "二车间"}
    )


def test_typed_answers() -> None:
    assert accept_text(Step.DEPARTMENT, " 一车间 ", departments=DEPTS, today=TODAY) == Accepted(
        {"department": "一车间"}
    )
    assert accept_text(Step.DEPARTMENT, "三车间", departments=DEPTS, today=TODAY) == Rejected(
        "dept_use_buttons"
    )
    assert accept_text(Step.SHARE, "可以", departments=DEPTS, today=TODAY) == Rejected(
        "use_buttons"
    )
    rejected = accept_text(Step.BIRTHDAY, "2月30日", departments=DEPTS, today=TODAY)
    assert isinstance(rejected, Rejected) and rejected.key == "bday_bad_day"


def test_names() -> None:
    assert clean_name("  王   小明 ") == "王 小明"
    assert clean_name("阿卜杜·热依木") == "阿卜杜·热依木"
    assert clean_name("") == Rejected("name_empty")
    assert clean_name("<b>x</b>") == Rejected("name_bad_chars")
    assert clean_name("12345") == Rejected("name_bad_chars")
    assert clean_name("王" * 33) == Rejected("name_too_long", {"max": 32})
