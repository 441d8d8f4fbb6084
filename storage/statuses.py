"""The values the status, kind and role columns hold, as enums.

The state tables that say which moves are allowed live with the services (bot/*/states.py);
here is only what a column may contain, so storage and services compare enums, not literals.
"""

from __future__ import annotations

from enum import StrEnum


class StoredRole(StrEnum):
    """A member's appointed role (admins come from config, not from the database)."""

    MEMBER = "member"
    CADRE = "cadre"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    INACTIVE = "inactive"  # the recipient blocked the bot, left, or the chat is gone
    CANCELLED = "cancelled"


class OutboxKind(StrEnum):
    """What a row is, for the worker, the receipts and the purges."""

    NOTICE = "notice"  # a notice, to a group or a member
    REMINDER = "reminder"  # a notice's reminder to someone who has not confirmed
    EDIT = "edit"  # a live count edited into a message already sent
    CASE = "case"  # about a case, to cadres or the chair
    CASE_REPORTER = "case_reporter"  # to a case's reporter; purged once an anonymous case closes
    GREETING = "greeting"  # birthdays and festivals
    DIGEST = "digest"  # the cadres' morning list
    ALERT = "alert"  # to admins: something in the setup needs them
    ACTIVITY_POST = "activity_post"  # an activity's post in a group (its count is live)
    ACTIVITY = "activity"  # to one member about their sign-up
    VOTE = "vote"  # ballots and results
    SUGGESTION_POST = "suggestion_post"  # an adopted suggestion in a group (its count is live)
    CARE = "care"  # life events shared with a group, visits and aid for the chair
    OPEN_BOARD = "open_board"  # the monthly 公开栏 post in a group
    ROLE = "role"  # to a member: made a cadre, or no longer one


class NoticeStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class NoticeTarget(StrEnum):
    GROUPS = "groups"
    MEMBERS = "members"
    BOTH = "both"


class NoticeWay(StrEnum):
    """How a notice reached one person: their department's group, or a private message."""

    GROUP = "group"
    PRIVATE = "private"


class CaseKind(StrEnum):
    GRIEVANCE = "grievance"
    CONSULTATION = "consultation"
    LIFE_EVENT = "life_event"
    HARDSHIP = "hardship"
    SUGGESTION = "suggestion"


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    UNDER_STUDY = "under_study"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    ADOPTED = "adopted"
    PUBLISHED = "published"  # an adopted suggestion posted to the groups for co-signing
    DECLINED = "declined"
    APPROVED = "approved"


class CaseActor(StrEnum):
    REPORTER = "reporter"
    CADRE = "cadre"
    SYSTEM = "system"


class CaseEntryAction(StrEnum):
    """What one step in a case's thread was (the audit keeps who and when)."""

    SUBMITTED = "submitted"
    ACK = "ack"
    ASSIGN = "assign"
    REPLY = "reply"
    ASK = "ask"
    PROGRESS = "progress"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    REJECT = "reject"
    ADOPT = "adopt"
    STUDY = "study"
    DECLINE = "decline"
    APPROVE = "approve"
    PUBLISH = "publish"
    VISIT = "visit"
    ADDED_INFO = "added_info"  # the reporter added information
    RATED = "rated"  # the reporter rated the outcome; the text says how


class ActivityStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


class SignupState(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed place held for the next in the queue until it expires
    CANCELLED = "cancelled"


class VoteStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class VisitStatus(StrEnum):
    RECORDED = "recorded"
    PENDING = "pending"  # over the cap: waits for the chair
    APPROVED = "approved"


class KbAction(StrEnum):
    """What a knowledge-base revision did to its entry."""

    ADD = "add"
    EDIT = "edit"
    RETIRE = "retire"
    RESTORE = "restore"


class KbVia(StrEnum):
    """How a question reached the knowledge base."""

    ASK = "ask"  # the member's own words
    RELATED = "related"  # a related question's button
    OFF_TOPIC = "off_topic"  # the member's words, not a labour-rights question: no gap to fill


class OpenItemStatus(StrEnum):
    """A 公示 item on the open board: shown during its period, or withdrawn by a cadre."""

    SHOWN = "shown"
    WITHDRAWN = "withdrawn"
