"""The rights Q&A's conversations: a bare /ask, the hand-off's details, the KB form's kinds,
and the labels of what a revision did."""

from datetime import UTC, datetime, time

from bot.config import Config
from bot.core.flow import Accepted, FlowState, Rejected
from bot.greetings.manual_run import greeting_day
from bot.rights.answers import QUESTION_MAX, kept
from bot.rights.asking import give_question
from bot.rights.callbacks import Sender
from bot.rights.handoff import (
    DETAILS_MAX,
    IDENTITIES,
    HandoffDraft,
    HandoffStep,
    add_details,
    what_the_bot_said,
)
from bot.rights.kb_desk import ACTION_LABELS
from bot.rights.kb_form import INTROS, REVISIONS, FormPurpose
from bot.strings import catalogue
from storage.models import KbQuestion
from storage.statuses import KbAction


def test_a_bare_ask_waits_for_words() -> None:
    assert give_question("加班费怎么算") == "加班费怎么算"
    assert give_question(None) == Rejected("text_expected")
    assert give_question("   ") == Rejected("text_expected")


def test_details_are_added_line_by_line_up_to_the_limit() -> None:
    state = FlowState(HandoffStep.DETAILS, HandoffDraft(question_id=3))
    first = add_details(state, "我在车间干了五年")
    assert isinstance(first, Accepted) and first.data.details == "我在车间干了五年"
    second = add_details(FlowState(first.step, first.data), "厂里说是自愿加班")
    assert isinstance(second, Accepted)
    assert second.data.details == "我在车间干了五年\n厂里说是自愿加班"
    assert second.data.question_id == 3 and second.step == HandoffStep.DETAILS
    assert add_details(state, None) == Rejected("text_expected")
    assert add_details(state, "字" * (DETAILS_MAX + 1)) == Rejected(
        "kb_details_too_long", {"limit": DETAILS_MAX}
    )


def test_every_choice_has_its_meaning_and_words() -> None:
    assert set(IDENTITIES) == set(Sender)
    assert set(INTROS) == set(REVISIONS) == set(FormPurpose)
    assert REVISIONS[FormPurpose.SAVE] == KbAction.ADD  # a saved answer is a new entry
    for key in [*INTROS.values(), *ACTION_LABELS.values()]:
        assert key in catalogue("zh") and key in catalogue("en"), key
    assert set(ACTION_LABELS) == set(KbAction)


def test_the_greeting_day_starts_at_the_greeting_time() -> None:
    config = Config.model_validate({})
    assert config.greetings.send_at == time(8, 0)
    before = datetime(2026, 9, 24, 23, 59, tzinfo=UTC)  # 07:59 in Shanghai
    assert greeting_day(before, config) is None
    after = datetime(2026, 9, 25, 0, 0, tzinfo=UTC)
    assert greeting_day(after, config) == datetime(2026, 9, 25).date()


def test_the_cadres_hear_the_member_found_an_answer_no_help_only_after_a_thumbs_down() -> None:
    def said(*, confident: bool, helpful: bool | None) -> str:
        return what_the_bot_said(KbQuestion(text="问", confident=confident, helpful=helpful))

    assert said(confident=True, helpful=False) == "kb_case_bot_answered"
    assert said(confident=True, helpful=None) == "kb_case_bot_gave"
    assert said(confident=True, helpful=True) == "kb_case_bot_gave"
    assert said(confident=False, helpful=None) == "kb_case_bot_unsure"
    assert said(confident=False, helpful=False) == "kb_case_bot_unsure"


def test_a_very_long_question_is_kept_cut_and_shows_it() -> None:
    assert kept("  加班费怎么算  ") == "加班费怎么算"
    long = kept("工" * (QUESTION_MAX + 500))
    assert len(long) == QUESTION_MAX and long.endswith("…")
    assert kept("工" * QUESTION_MAX) == "工" * QUESTION_MAX
