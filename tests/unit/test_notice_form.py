"""The /notice form's decisions: which question comes next, and what each answer means."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.attachments import Content
from bot.core.flow import Accepted, FlowState, Rejected
from bot.notices import form
from bot.notices.callbacks import Scope
from bot.notices.form import NoticeDraft, NoticeStep
from storage.statuses import NoticeTarget

DEPTS = ["一车间", "二车间"]
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


def at(step: NoticeStep, **fields: object) -> FlowState[NoticeStep, NoticeDraft]:
    return FlowState(step, NoticeDraft.model_validate(fields))


def test_content_then_target_then_departments() -> None:
    outcome = form.give_content(at(NoticeStep.CONTENT), Content(text="周五大扫除"))
    assert isinstance(outcome, Accepted) and outcome.step == NoticeStep.TARGET
    assert form.give_content(at(NoticeStep.CONTENT), None) == Rejected("notice_unsupported")
    assert form.give_content(at(NoticeStep.CONTENT), Content(text="  ")) == Rejected("notice_empty")
    chosen = form.choose_target(at(NoticeStep.TARGET), NoticeTarget.GROUPS, Scope.DEPARTMENTS)
    assert isinstance(chosen, Accepted) and chosen.step == NoticeStep.DEPARTMENTS
    assert chosen.data.departments == []
    everyone = form.choose_target(at(NoticeStep.TARGET), NoticeTarget.BOTH, Scope.ALL)
    assert isinstance(everyone, Accepted) and everyone.step == NoticeStep.ACK


def test_departments_toggle_in_the_union_order_and_one_is_needed() -> None:
    state = at(NoticeStep.DEPARTMENTS, departments=[])
    assert form.departments_done(state) == Rejected("notice_pick_department")
    toggled = form.toggle_department(state, 1, DEPTS)
    assert isinstance(toggled, Accepted) and toggled.step == NoticeStep.DEPARTMENTS
    assert toggled.data.departments == ["二车间"]
    both = form.toggle_department(FlowState(toggled.step, toggled.data), 0, DEPTS)
    assert isinstance(both, Accepted) and both.data.departments == DEPTS
    untoggled = form.toggle_department(FlowState(both.step, both.data), 1, DEPTS)
    assert isinstance(untoggled, Accepted) and untoggled.data.departments == ["一车间"]
    assert form.toggle_department(state, 9, DEPTS) == Rejected("button_expired")


def test_pin_is_asked_only_when_groups_receive_it() -> None:
    members_only = form.choose_ack(at(NoticeStep.ACK, target="members"), True)
    assert isinstance(members_only, Accepted) and members_only.step == NoticeStep.WHEN
    groups = form.choose_ack(at(NoticeStep.ACK, target="groups"), True)
    assert isinstance(groups, Accepted) and groups.step == NoticeStep.PIN


def test_a_button_from_another_step_has_expired() -> None:
    assert form.choose_pin(at(NoticeStep.ACK), True) == Rejected("button_expired")
    assert form.send_now(at(NoticeStep.PIN)) == Rejected("button_expired")


def test_typed_times() -> None:
    later = form.give_time(at(NoticeStep.WHEN), "今天 18:30", now=NOW, zone=ZONE)
    assert isinstance(later, Accepted) and later.step == NoticeStep.PREVIEW
    assert later.data.when == datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    past = form.give_time(at(NoticeStep.WHEN), "2020-01-01 08:00", now=NOW, zone=ZONE)
    assert past == Rejected("when_past")
    assert form.give_time(at(NoticeStep.WHEN), None, now=NOW, zone=ZONE) == Rejected(
        "when_bad_format"
    )
