"""The catalogue key of every status and kind shown to people: one explicit table, so no
key is built at run time and a test can walk every enum against both catalogues."""

from __future__ import annotations

from enum import StrEnum

from storage.statuses import (
    ActivityStatus,
    CaseKind,
    CaseStatus,
    NoticeStatus,
    SignupState,
    VisitStatus,
    VoteStatus,
)

_PAIRS: tuple[tuple[StrEnum, str], ...] = (
    (CaseStatus.SUBMITTED, "status_submitted"),
    (CaseStatus.ACKNOWLEDGED, "status_acknowledged"),
    (CaseStatus.IN_PROGRESS, "status_in_progress"),
    (CaseStatus.UNDER_STUDY, "status_under_study"),
    (CaseStatus.ESCALATED, "status_escalated"),
    (CaseStatus.RESOLVED, "status_resolved"),
    (CaseStatus.CLOSED, "status_closed"),
    (CaseStatus.REJECTED, "status_rejected"),
    (CaseStatus.ADOPTED, "status_adopted"),
    (CaseStatus.PUBLISHED, "status_published"),
    (CaseStatus.DECLINED, "status_declined"),
    (CaseStatus.APPROVED, "status_approved"),
    (CaseKind.GRIEVANCE, "case_kind_grievance"),
    (CaseKind.CONSULTATION, "case_kind_consultation"),
    (CaseKind.LIFE_EVENT, "case_kind_life_event"),
    (CaseKind.HARDSHIP, "case_kind_hardship"),
    (CaseKind.SUGGESTION, "case_kind_suggestion"),
    (NoticeStatus.SCHEDULED, "notice_status_scheduled"),
    (NoticeStatus.SENDING, "notice_status_sending"),
    (NoticeStatus.SENT, "notice_status_sent"),
    (NoticeStatus.CANCELLED, "notice_status_cancelled"),
    (ActivityStatus.OPEN, "activity_status_open"),
    (ActivityStatus.CANCELLED, "activity_status_cancelled"),
    (SignupState.CONFIRMED, "signup_state_confirmed"),
    (SignupState.WAITLISTED, "signup_state_waitlisted"),
    (SignupState.OFFERED, "signup_state_offered"),
    (SignupState.CANCELLED, "signup_state_cancelled"),
    (VoteStatus.OPEN, "vote_status_open"),
    (VoteStatus.CLOSED, "vote_status_closed"),
    (VisitStatus.RECORDED, "visit_status_recorded"),
    (VisitStatus.PENDING, "visit_status_pending"),
    (VisitStatus.APPROVED, "visit_status_approved"),
)
# Keyed by the enum as well as the value: CaseStatus.CLOSED and VoteStatus.CLOSED are both
# "closed" (and equal as strings), yet they are different statuses with different labels.
LABELS: dict[tuple[type[StrEnum], str], str] = {(type(v), v.value): key for v, key in _PAIRS}
SHOWN: tuple[type[StrEnum], ...] = (
    CaseStatus,
    CaseKind,
    NoticeStatus,
    ActivityStatus,
    SignupState,
    VoteStatus,
    VisitStatus,
)


def label(value: StrEnum) -> str:
    """The catalogue key that names this status or kind."""
    return LABELS[type(value), value.value]
