"""The /newvote form: the filled-in template read line by line, the preview, and the flow
that holds them (pure: the step function returns Accepted or Rejected)."""

from __future__ import annotations

import re
from datetime import datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.core.flow import Accepted, Flow, FlowState, Rejected
from bot.core.template import bad, departments_of, values_of
from bot.core.when import WhenError, parse_when
from bot.roles import Role

FIELDS = {
    "问题": "question",
    "question": "question",
    "选项": "options",
    "options": "options",
    "范围": "departments",
    "departments": "departments",
    "开始": "opens",
    "opens": "opens",
    "结束": "closes",
    "closes": "closes",
    "法定人数": "quorum",
    "quorum": "quorum",
}
NOW = ("现在", "now", "")
SHOWN = frozenset({"question", "options"})  # kept as typed: members read them


class VoteDraft(BaseModel):
    question: str
    options: list[str]
    departments: list[str] | None = None  # None: every department
    opens_at: datetime
    closes_at: datetime
    quorum_percent: int | None = None


class VoteStep(IntEnum):
    TEMPLATE = 1
    CONFIRM = 2  # the preview is shown: start it or drop it


class NewVote(BaseModel):
    draft: VoteDraft | None = None


NEW_VOTE = Flow(
    "vote_new", role=Role.CADRE, steps=VoteStep, data=NewVote, cancelled="cancel_newvote"
)


def _options(raw: str) -> list[str] | None:
    options = [o.strip() for o in re.split(r"[、,，/]+", raw) if o.strip()]
    if not 2 <= len(options) <= 8 or len(set(options)) != len(options):
        return None
    return None if any(len(o) > 24 for o in options) else options


def _times(
    values: dict[str, str], now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime] | Rejected:
    raw_opens = values.get("opens", "现在")
    opens = now if raw_opens in NOW else parse_when(raw_opens, now=now, zone=zone)
    closes = parse_when(values.get("closes", ""), now=now, zone=zone)
    if isinstance(opens, WhenError):
        return bad("vote_bad_time", "开始")
    if isinstance(closes, WhenError) or closes <= opens:
        return bad("vote_bad_time", "结束")
    return opens, closes


def read_template(
    text: str, *, now: datetime, zone: ZoneInfo, departments: list[str]
) -> VoteDraft | Rejected:
    """The vote the template describes, or the first problem and its line."""
    values = values_of(text, FIELDS, as_written=SHOWN)
    question = values.get("question", "")
    if not question or len(question) > 200:
        return bad("vote_bad_question", "问题")
    options = _options(values.get("options", ""))
    if options is None:
        return bad("vote_bad_options", "选项")
    times = _times(values, now, zone)
    if isinstance(times, Rejected):
        return times
    chosen = departments_of(values.get("departments", "全部"), departments, "范围")
    if isinstance(chosen, Rejected):
        return chosen
    quorum = values.get("quorum", "").rstrip("%")
    if quorum and (not quorum.isdigit() or not 1 <= int(quorum) <= 100):
        return bad("vote_bad_quorum", "法定人数")
    return VoteDraft(
        question=question,
        options=options,
        departments=chosen,
        opens_at=times[0],
        closes_at=times[1],
        quorum_percent=int(quorum) if quorum else None,
    )


def give_template(
    state: FlowState[VoteStep, NewVote],
    text: str | None,
    *,
    now: datetime,
    zone: ZoneInfo,
    departments: list[str],
) -> Accepted[VoteStep, NewVote] | Rejected:
    """The filled-in template: on to the preview (a corrected one replaces the draft)."""
    draft = read_template(text or "", now=now, zone=zone, departments=departments)
    if isinstance(draft, Rejected):
        return draft
    return Accepted(VoteStep.CONFIRM, state.data.model_copy(update={"draft": draft}))
