"""The profile form's decisions: which question comes next, and what each answer means."""

from datetime import date

from bot.core.flow import Accepted, FlowState, Rejected
from bot.members import profile_form as form
from bot.members.callbacks import Language
from bot.members.profile_form import (
    BirthdayDraft,
    ProfileDraft,
    ProfileStep,
    clean_name,
    first_question,
    next_step,
)
from bot.members.profiles import edited_columns, registration_columns

DEPTS = ["一车间", "二车间"]
TODAY = date(2026, 11, 24)
WITH_YEAR = BirthdayDraft(kind="solar", month=8, day=15, year=1995)
NO_YEAR = BirthdayDraft(kind="lunar", month=8, day=15)


def at(step: ProfileStep, **fields: object) -> FlowState[ProfileStep, ProfileDraft]:
    return FlowState(step, ProfileDraft.model_validate(fields))


def test_steps_skip_questions_that_do_not_apply() -> None:
    assert next_step(ProfileStep.NAME, ProfileDraft()) == ProfileStep.DEPARTMENT
    assert next_step(ProfileStep.BIRTHDAY, ProfileDraft(birthday=WITH_YEAR)) == ProfileStep.SHARE
    assert next_step(ProfileStep.SHARE, ProfileDraft(birthday=WITH_YEAR)) == ProfileStep.HIDE_YEAR
    assert next_step(ProfileStep.SHARE, ProfileDraft(birthday=NO_YEAR)) == ProfileStep.LANGUAGE
    assert next_step(ProfileStep.BIRTHDAY, ProfileDraft()) == ProfileStep.LANGUAGE
    assert next_step(ProfileStep.LANGUAGE, ProfileDraft()) == ProfileStep.CONFIRM


def test_a_roster_draft_asks_only_what_it_lacks_unless_started_over() -> None:
    roster = ProfileDraft(name="赵六", department="二车间", language="zh", roster_id=7)
    assert first_question(roster) == ProfileStep.CONFIRM
    assert first_question(roster.model_copy(update={"department": None})) == (
        ProfileStep.DEPARTMENT
    )
    assert first_question(ProfileDraft(language="zh")) == ProfileStep.NAME
    lacking = at(ProfileStep.DEPARTMENT, name="赵六", language="zh", roster_id=7)
    chosen = form.choose_department(lacking, 1, DEPTS)
    assert isinstance(chosen, Accepted) and chosen.step == ProfileStep.CONFIRM
    redo = form.start_over(at(ProfileStep.CONFIRM, name="赵六", language="en", roster_id=7))
    assert redo == Accepted(
        ProfileStep.NAME, ProfileDraft(language="en", roster_id=7, start_over=True)
    )
    named = form.give_text(FlowState(redo.step, redo.data), "赵六", departments=DEPTS, today=TODAY)
    assert isinstance(named, Accepted) and named.step == ProfileStep.DEPARTMENT


def test_a_button_from_another_step_has_expired() -> None:
    expired = Rejected("button_expired")
    assert form.choose_department(at(ProfileStep.NAME), 0, DEPTS) == expired
    assert form.choose_department(at(ProfileStep.DEPARTMENT), 7, DEPTS) == expired
    assert form.choose_language(at(ProfileStep.SHARE), Language.EN) == expired
    assert form.skip_birthday(at(ProfileStep.LANGUAGE)) == expired
    assert form.start_over(at(ProfileStep.LANGUAGE)) == expired
    chosen = form.choose_department(at(ProfileStep.DEPARTMENT), 1, DEPTS)
    assert isinstance(chosen, Accepted) and chosen.data.department == "二车间"


def test_typed_answers() -> None:
    typed = form.give_text(at(ProfileStep.DEPARTMENT), " 一车间 ", departments=DEPTS, today=TODAY)
    assert isinstance(typed, Accepted) and typed.data.department == "一车间"
    assert form.give_text(
        at(ProfileStep.DEPARTMENT), "三车间", departments=DEPTS, today=TODAY
    ) == Rejected("dept_use_buttons")
    assert form.give_text(at(ProfileStep.SHARE), "可以", departments=DEPTS, today=TODAY) == (
        Rejected("use_buttons")
    )
    assert form.give_text(at(ProfileStep.NAME), None, departments=DEPTS, today=TODAY) == (
        Rejected("text_expected")
    )
    rejected = form.give_text(at(ProfileStep.BIRTHDAY), "2月30日", departments=DEPTS, today=TODAY)
    assert isinstance(rejected, Rejected) and rejected.key == "bday_bad_day"
    lunar = form.give_text(at(ProfileStep.BIRTHDAY), "农历八月十五", departments=DEPTS, today=TODAY)
    assert isinstance(lunar, Accepted) and lunar.data.birthday == NO_YEAR
    assert lunar.step == ProfileStep.SHARE


def test_skipping_the_birthday_takes_the_greeting_and_the_age_with_it() -> None:
    skipped = form.skip_birthday(at(ProfileStep.BIRTHDAY, share_birthday=True, hide_year=False))
    assert isinstance(skipped, Accepted) and skipped.step == ProfileStep.LANGUAGE
    assert (skipped.data.share_birthday, skipped.data.hide_year) == (False, True)
    assert edited_columns(ProfileStep.BIRTHDAY, skipped.data)["share_birthday"] is False


def test_an_edit_changes_only_its_own_columns() -> None:
    draft = ProfileDraft(name="王小明", language="en", birthday=NO_YEAR)
    assert edited_columns(ProfileStep.NAME, draft) == {"name": "王小明"}
    assert edited_columns(ProfileStep.LANGUAGE, draft) == {"language": "en"}
    assert edited_columns(ProfileStep.BIRTHDAY, draft) == {
        "bday_kind": "lunar",
        "bday_month": 8,
        "bday_day": 15,
        "bday_leap": False,
        "bday_year": None,
    }
    columns = registration_columns(draft.model_copy(update={"department": "一车间"}))
    assert columns["department"] == "一车间" and columns["bday_kind"] == "lunar"


def test_a_draft_stored_before_the_port_is_read_back() -> None:
    stored = {
        "name": "王小明",
        "department": "一车间",
        "birthday": {"kind": "solar", "month": 8, "day": 15, "leap": False, "year": 1995},
        "language": "zh",
    }
    assert ProfileDraft.model_validate(stored).birthday == WITH_YEAR


def test_names() -> None:
    assert clean_name("  王   小明 ") == "王 小明"
    assert clean_name("阿卜杜·热依木") == "阿卜杜·热依木"
    assert clean_name("") == Rejected("name_empty")
    assert clean_name("<b>x</b>") == Rejected("name_bad_chars")
    assert clean_name("12345") == Rejected("name_bad_chars")
    assert clean_name("王" * 33) == Rejected("name_too_long", {"max": 32})
