"""The activity and vote forms' decisions: reading the filled-in template line by line, and
what each conversation's step makes of an answer."""

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.activities.forms import (
    ActivityEdit,
    EditStep,
    NewActivity,
    NewStep,
    Removal,
    RemoveStep,
    give_new_details,
    give_reason,
    give_template,
)
from bot.activities.template import filled, read_template
from bot.core.flow import Accepted, FlowState, Rejected
from bot.core.template import template_text
from bot.votes import form as vote_form
from bot.votes.form import NewVote, VoteStep

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # Tuesday 09:30 in Shanghai
DEPTS = ["一车间", "二车间"]
TEMPLATE = """标题：周五羽毛球
时间：11月27日 17:30-19:00
地点：职工活动中心
截止：11月27日 12:00
名额：20
家属：2
名单公开：否
每周：是
部门：一车间
说明：自带球拍"""


def _read(text: str) -> object:
    return read_template(text, now=NOW, zone=ZONE, departments=DEPTS)


def test_a_filled_in_template_reads_into_a_draft() -> None:
    draft = _read(TEMPLATE)
    assert not isinstance(draft, Rejected)
    assert draft.title == "周五羽毛球" and draft.place == "职工活动中心"
    assert draft.starts_at.astimezone(ZONE).strftime("%m-%d %H:%M") == "11-27 17:30"
    assert draft.ends_at - draft.starts_at == timedelta(minutes=90)
    assert draft.deadline.astimezone(ZONE).hour == 12
    assert (draft.capacity, draft.guests_max, draft.list_visible, draft.weekly) == (
        20,
        2,
        False,
        True,
    )
    assert draft.departments == ["一车间"] and draft.description == "自带球拍"


def test_each_problem_is_named_by_its_line() -> None:
    def replaced(old: str, new: str) -> object:
        return _read(TEMPLATE.replace(old, new))

    assert replaced("标题：周五羽毛球", "标题：") == Rejected("act_bad_title", {"line": "标题"})
    assert replaced("11月27日 17:30-19:00", "昨天") == Rejected("act_bad_time", {"line": "时间"})
    assert replaced("截止：11月27日 12:00", "截止：11月28日 12:00") == Rejected(
        "act_bad_deadline", {"line": "截止"}
    )
    assert replaced("名额：20", "名额：很多") == Rejected("act_bad_capacity", {"line": "名额"})
    assert replaced("家属：2", "家属：9") == Rejected("act_bad_guests", {"line": "家属"})
    assert replaced("每周：是", "每周：也许") == Rejected(
        "act_bad_flag", {"line": "名单公开 / 每周"}
    )
    assert replaced("部门：一车间", "部门：财务部") == Rejected(
        "act_bad_departments", {"line": "部门", "known": "一车间、二车间"}
    )


def test_defaults_an_end_past_midnight_and_english_field_names() -> None:
    draft = _read("title: Night shift party\ntime: 11月27日 22:00-01:00")
    assert not isinstance(draft, Rejected)
    assert draft.ends_at - draft.starts_at == timedelta(hours=3)
    assert draft.deadline == draft.starts_at  # no deadline line: sign up until the start
    assert draft.capacity is None and draft.departments is None and draft.list_visible


def test_new_activity_goes_to_the_preview_and_a_correction_replaces_the_draft() -> None:
    state = FlowState(NewStep.TEMPLATE, NewActivity())
    outcome = give_template(state, TEMPLATE, now=NOW, zone=ZONE, departments=DEPTS)
    assert isinstance(outcome, Accepted) and outcome.step == NewStep.CONFIRM
    corrected = give_template(
        FlowState(outcome.step, outcome.data),
        TEMPLATE.replace("周五羽毛球", "周六乒乓球"),
        now=NOW,
        zone=ZONE,
        departments=DEPTS,
    )
    assert isinstance(corrected, Accepted) and corrected.data.draft is not None
    assert corrected.data.draft.title == "周六乒乓球"
    assert give_template(state, None, now=NOW, zone=ZONE, departments=DEPTS) == Rejected(
        "act_bad_title", {"line": "标题"}
    )


def test_the_draft_survives_the_database_round_trip() -> None:
    state = FlowState(NewStep.TEMPLATE, NewActivity())
    outcome = give_template(state, TEMPLATE, now=NOW, zone=ZONE, departments=DEPTS)
    assert isinstance(outcome, Accepted)
    stored = outcome.data.model_dump(mode="json")
    assert NewActivity.model_validate(stored) == outcome.data


def test_an_end_before_the_start_is_refused_unless_it_is_past_midnight() -> None:
    refused = _read(TEMPLATE.replace("17:30-19:00", "19:00-17:30"))
    assert refused == Rejected("act_bad_time_order", {"line": "时间"})
    overnight = _read(TEMPLATE.replace("17:30-19:00", "20:00-02:00"))
    assert not isinstance(overnight, Rejected)
    assert overnight.ends_at - overnight.starts_at == timedelta(hours=6)


def test_an_edit_keeps_what_its_lines_leave_out_and_a_closed_sign_up_stays_closed() -> None:
    draft = _read(TEMPLATE)
    assert not isinstance(draft, Rejected)
    current = filled(draft, ZONE, now=NOW)
    assert _read(current) == draft  # the filled-in template reads back as the activity
    edit = FlowState(EditStep.TEMPLATE, ActivityEdit(activity_id=7, current=current))
    moved = give_new_details(edit, "地点：二号体育馆", now=NOW, zone=ZONE, departments=DEPTS)
    assert isinstance(moved, Accepted) and moved.data.draft is not None
    assert moved.data.draft == draft.model_copy(update={"place": "二号体育馆"})
    # The sign-up closed before the edit began: the template cannot name a past deadline.
    later = draft.deadline + timedelta(minutes=5)
    current = filled(draft, ZONE, now=later)
    assert "截止" not in current
    edit = FlowState(
        EditStep.TEMPLATE,
        ActivityEdit(activity_id=7, current=current, closed_at=draft.deadline),
    )
    moved = give_new_details(edit, "地点：二号体育馆", now=later, zone=ZONE, departments=DEPTS)
    assert isinstance(moved, Accepted) and moved.data.draft is not None
    assert moved.data.draft.deadline == draft.deadline


def test_new_details_and_a_reason() -> None:
    edit = FlowState(EditStep.TEMPLATE, ActivityEdit(activity_id=7))
    details = give_new_details(edit, TEMPLATE, now=NOW, zone=ZONE, departments=DEPTS)
    assert isinstance(details, Accepted) and details.data.activity_id == 7
    assert details.step == EditStep.TEMPLATE and details.data.draft is not None
    removal = FlowState(RemoveStep.REASON, Removal(activity_id=7, signup_id=3))
    assert give_reason(removal, "  ") == Rejected("act_remove_reason")
    assert give_reason(removal, None) == Rejected("act_remove_reason")
    reason = give_reason(removal, " 重复报名 ")
    assert isinstance(reason, Accepted) and reason.data.reason == "重复报名"


VOTE = """问题：是否同意调整夏季作息时间？
选项：同意、不同意、弃权
范围：一车间
开始：现在
结束：明天 18:00
法定人数：60%"""


def test_a_vote_template_reads_into_a_draft() -> None:
    draft = vote_form.read_template(VOTE, now=NOW, zone=ZONE, departments=DEPTS)
    assert not isinstance(draft, Rejected)
    assert draft.options == ["同意", "不同意", "弃权"] and draft.quorum_percent == 60
    assert draft.opens_at == NOW and draft.departments == ["一车间"]


def test_what_members_read_keeps_its_chinese_punctuation_and_numbers_fold() -> None:
    vote = vote_form.read_template(
        VOTE.replace("问题：", "问题：是否同意（试行）方案？\n旧问题：")
        .replace("选项：同意", "选项：同意（全体）")
        .replace("60%", "６０％"),
        now=NOW,
        zone=ZONE,
        departments=DEPTS,
    )
    assert not isinstance(vote, Rejected)
    assert vote.question == "是否同意（试行）方案？" and vote.options[0] == "同意（全体）"
    assert vote.quorum_percent == 60
    activity = _read(
        TEMPLATE.replace("周五羽毛球", "周五羽毛球！")
        .replace("自带球拍", "自带球拍，穿运动鞋。")
        .replace("17:30-19:00", "１７：３０-１９：００")
        .replace("名额：20", "名额：２０")
    )
    assert not isinstance(activity, Rejected)
    assert activity.title == "周五羽毛球！" and activity.description == "自带球拍，穿运动鞋。"
    assert activity.capacity == 20 and activity.ends_at - activity.starts_at == timedelta(
        minutes=90
    )


def test_vote_problems_are_named_by_their_line() -> None:
    def replaced(old: str, new: str) -> object:
        return vote_form.read_template(
            VOTE.replace(old, new), now=NOW, zone=ZONE, departments=DEPTS
        )

    assert replaced("选项：同意、不同意、弃权", "选项：同意") == Rejected(
        "vote_bad_options", {"line": "选项"}
    )
    assert replaced("选项：同意、不同意、弃权", "选项：同意、同意") == Rejected(
        "vote_bad_options", {"line": "选项"}
    )
    assert replaced("结束：明天 18:00", "结束：昨天") == Rejected("vote_bad_time", {"line": "结束"})
    assert replaced("范围：一车间", "范围：食堂") == Rejected(
        "act_bad_departments", {"line": "范围", "known": "一车间、二车间"}
    )
    assert replaced("法定人数：60%", "法定人数：120") == Rejected(
        "vote_bad_quorum", {"line": "法定人数"}
    )
    state = FlowState(VoteStep.TEMPLATE, NewVote())
    outcome = vote_form.give_template(state, VOTE, now=NOW, zone=ZONE, departments=DEPTS)
    assert isinstance(outcome, Accepted) and outcome.step == VoteStep.CONFIRM


def _shown_form(key: str, lang: str, now: datetime) -> str:
    """The template's fill-in part, as the bot shows it at `now`."""
    shown = template_text(key, lang, now=now, zone=ZONE)  # type: ignore[arg-type]
    [form] = re.findall(r"<code>(.*?)</code>", shown, re.DOTALL)
    return html.unescape(form)


def test_the_templates_sent_back_unchanged_are_accepted_on_any_day() -> None:
    """Their example dates move with the clock (a fixed one soon lay in the past)."""
    for hours in range(0, 24 * 8, 7):  # every day of a week, at all times of day
        now = NOW + timedelta(hours=hours)
        for lang in ("zh", "en"):
            form = _shown_form("act_template", lang, now)
            draft = read_template(form, now=now, zone=ZONE, departments=DEPTS)
            assert not isinstance(draft, Rejected), (now, draft)
            assert draft.deadline - now >= timedelta(days=1)
            form = _shown_form("vote_template", lang, now)
            vote = vote_form.read_template(form, now=now, zone=ZONE, departments=DEPTS)
            assert not isinstance(vote, Rejected), (now, vote)
