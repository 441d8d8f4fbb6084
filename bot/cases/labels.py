"""The catalogue keys of the cases' buttons, steps, prompts and relays: explicit tables, so
no key is built at run time. Statuses and kinds are named by bot.core.labels.label."""

from __future__ import annotations

from bot.cases.callbacks import DeskList
from bot.cases.states import CaseAction
from storage.statuses import CaseActor, CaseEntryAction, CaseKind

A = CaseAction
E = CaseEntryAction

BUTTONS: dict[CaseAction, str] = {
    A.ACK: "btn_act_ack",
    A.PROGRESS: "btn_act_progress",
    A.STUDY: "btn_act_study",
    A.ADOPT: "btn_act_adopt",
    A.RESOLVE: "btn_act_resolve",
    A.APPROVE: "btn_act_approve",
    A.PUBLISH: "btn_act_publish",
    A.REPLY: "btn_act_reply",
    A.ASK: "btn_act_ask",
    A.ASSIGN: "btn_act_assign",
    A.VISIT: "btn_act_visit",
    A.KBSAVE: "btn_act_kbsave",
    A.ESCALATE: "btn_act_escalate",
    A.REJECT: "btn_act_reject",
    A.DECLINE: "btn_act_decline",
}

# What each step in a case's thread is called (on the card and in 「已记录」).
STEPS: dict[CaseEntryAction, str] = {
    E.SUBMITTED: "action_submitted",
    E.ACK: "action_ack",
    E.ASSIGN: "action_assign",
    E.REPLY: "action_reply",
    E.ASK: "action_ask",
    E.PROGRESS: "action_progress",
    E.ESCALATE: "action_escalate",
    E.RESOLVE: "action_resolve",
    E.REJECT: "action_reject",
    E.ADOPT: "action_adopt",
    E.STUDY: "action_study",
    E.DECLINE: "action_decline",
    E.APPROVE: "action_approve",
    E.PUBLISH: "action_publish",
    E.VISIT: "action_visit",
    E.ADDED_INFO: "action_added_info",
    E.RATED: "action_rated",
}

# A rating is kept in its step's text as it always was.
RATINGS: dict[str, str] = {"satisfied": "rating_satisfied", "not satisfied": "rating_unsatisfied"}

# What the cadre is asked to write for an action that needs words.
PROMPTS: dict[CaseAction, str] = {
    A.REPLY: "desk_prompt_reply",
    A.ASK: "desk_prompt_ask",
    A.ESCALATE: "desk_prompt_escalate",
    A.RESOLVE: "desk_prompt_resolve",
    A.REJECT: "desk_prompt_reject",
    A.DECLINE: "desk_prompt_decline",
}

# What the reporter is told after each action.
TOLD: dict[CaseAction, str] = {
    A.ACK: "case_told_ack",
    A.PROGRESS: "case_told_progress",
    A.STUDY: "case_told_study",
    A.ADOPT: "case_told_adopt",
    A.RESOLVE: "case_told_resolve",
    A.APPROVE: "case_told_approve",
    A.REPLY: "case_told_reply",
    A.ASK: "case_told_ask",
    A.ESCALATE: "case_told_escalate",
    A.REJECT: "case_told_reject",
    A.DECLINE: "case_told_decline",
}

# Who took a step, on the cadres' card and in the reporter's own view.
DESK_STEP: dict[CaseActor, str] = {
    CaseActor.REPORTER: "desk_entry_reporter",
    CaseActor.CADRE: "desk_entry_cadre",
    CaseActor.SYSTEM: "desk_entry_system",
}
THREAD: dict[CaseActor, str] = {
    CaseActor.REPORTER: "thread_reporter",
    CaseActor.CADRE: "thread_cadre",
    CaseActor.SYSTEM: "thread_system",
}

LISTS: dict[DeskList, str] = {
    DeskList.OPEN: "btn_cases_open",
    DeskList.OVERDUE: "btn_cases_overdue",
    DeskList.DONE: "btn_cases_done",
}

# A question handed to the union is a 咨询 to the member who asked it, not a 案件 (which reads
# as a lawsuit to a young worker): what the reporter reads of a consultation says so.
_CONSULTATION_WORDS: dict[str, str] = {
    "case_told_ack": "consult_told_ack",
    "case_told_reply": "consult_told_reply",
    "case_told_resolve": "consult_told_resolve",
    "case_header": "consult_header",
    "case_add_prompt": "consult_add_prompt",
    "case_added": "consult_added",
    "case_added_chair": "consult_added_chair",
    "case_rated_yes": "consult_rated_yes",
    "case_rated_no": "consult_rated_no",
    "case_code_status": "consult_code_status",
}


def to_reporter(key: str, kind: CaseKind) -> str:
    """The catalogue key a reporter reads for `key`, in the words of their case's kind."""
    return _CONSULTATION_WORDS.get(key, key) if kind == CaseKind.CONSULTATION else key
