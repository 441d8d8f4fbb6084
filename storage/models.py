"""The tables. Alembic migrations are generated from and checked against this metadata."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from storage.columns import DEPARTMENT_MAX, NAME_MAX
from storage.columns import utc as _utc
from storage.statuses import (
    CaseActor,
    CaseEntryAction,
    CaseKind,
    CaseStatus,
    NoticeStatus,
    NoticeTarget,
    NoticeWay,
    OutboxKind,
    OutboxStatus,
    StoredRole,
)
from storage.types import EnumText


class Member(SQLModel, table=True):
    """A union member: a registered Telegram user, or a roster row waiting to be claimed."""

    __tablename__ = "member"
    __table_args__ = (
        Index("ix_member_birthday", "bday_kind", "bday_month", "bday_day", "bday_leap"),
        # Cadres and admins are a handful among up to 300,000 members (the daily digest's list).
        Index("ix_member_role", "role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, unique=True, nullable=True)
    )
    username: str | None = Field(default=None, max_length=32, index=True)
    name: str = Field(max_length=NAME_MAX)
    department: str = Field(max_length=DEPARTMENT_MAX, index=True)
    phone: str | None = Field(default=None, max_length=20)
    bday_kind: str | None = Field(default=None, max_length=5)
    bday_month: int | None = None
    bday_day: int | None = None
    bday_leap: bool = False
    bday_year: int | None = None
    share_birthday: bool = False
    hide_year: bool = True
    quiet_start: int | None = None  # minutes after local midnight; no private messages from…
    quiet_end: int | None = None  # …until (may wrap past midnight)
    language: str = Field(default="zh", max_length=2)
    role: StoredRole = Field(
        default=StoredRole.MEMBER, sa_column=Column(EnumText(StoredRole, 8), nullable=False)
    )
    active: bool = True
    # Why private messages cannot reach them (blocked the bot, account deleted), when not active.
    unreachable: str | None = Field(default=None, max_length=20)
    registered_at: datetime | None = _utc(nullable=True)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class GroupChat(SQLModel, table=True):
    """A group or supergroup the bot is in, and the department it serves once bound."""

    __tablename__ = "group_chat"

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    title: str = Field(default="", max_length=128)
    department: str | None = Field(default=None, max_length=DEPARTMENT_MAX, index=True)
    bot_status: str = Field(default="member", max_length=16)
    bound_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    bound_at: datetime | None = _utc(nullable=True)
    updated_at: datetime = _utc()


class Dialog(SQLModel, table=True):
    """The one conversation a user is in, kept here so a restart or a second instance resumes it."""

    __tablename__ = "dialog"

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    flow: str = Field(max_length=32)
    step: int
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _utc()


class RoleChange(SQLModel, table=True):
    """Audit trail of appointments: who gave or took which role from whom, and when."""

    __tablename__ = "role_change"

    id: int | None = Field(default=None, primary_key=True)
    actor_telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    member_id: int = Field(index=True)
    role: StoredRole = Field(sa_column=Column(EnumText(StoredRole, 8), nullable=False))
    at: datetime = _utc()


class Outbox(SQLModel, table=True):
    """Every message that is not a direct reply. The unique key makes enqueueing idempotent."""

    __tablename__ = "outbox"
    # Claiming walks waiting rows in id order; the minimum due time is read by status too.
    __table_args__ = (
        Index("ix_outbox_status_id", "status", "id"),
        Index("ix_outbox_due", "status", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160, unique=True)
    kind: OutboxKind = Field(sa_column=Column(EnumText(OutboxKind, 24), nullable=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    member_id: int | None = Field(
        default=None, foreign_key="member.id", ondelete="SET NULL", index=True
    )
    ref_id: int | None = Field(default=None, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING,
        sa_column=Column(EnumText(OutboxStatus, 10), nullable=False),
    )
    attempts: int = 0
    not_before: datetime = _utc()
    lease_until: datetime | None = _utc(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=40)
    message_id: int | None = None
    error: str | None = Field(default=None, max_length=200)
    created_at: datetime = _utc()
    sent_at: datetime | None = _utc(nullable=True)


class Notice(SQLModel, table=True):
    """A cadre's notice: what to send, to whom, when, and whether members must confirm it."""

    __tablename__ = "notice"

    id: int | None = Field(default=None, primary_key=True)
    author_telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    text: str
    attachment: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    target: NoticeTarget = Field(sa_column=Column(EnumText(NoticeTarget, 10), nullable=False))
    departments: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    require_ack: bool = True
    pin: bool = False
    status: NoticeStatus = Field(
        default=NoticeStatus.SCHEDULED,
        sa_column=Column(EnumText(NoticeStatus, 10), nullable=False, index=True),
    )
    scheduled_at: datetime = _utc(index=True)
    released_at: datetime | None = _utc(nullable=True)
    reminders_sent: int = 0
    created_at: datetime = _utc()


class NoticeAudience(SQLModel, table=True):
    """Who a notice reached and by which way, fixed when it goes out, so receipts compare like
    with like (the author is never in it)."""

    __tablename__ = "notice_audience"

    notice_id: int = Field(foreign_key="notice.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE", primary_key=True)
    department: str = Field(max_length=DEPARTMENT_MAX)
    way: NoticeWay = Field(
        default=NoticeWay.GROUP, sa_column=Column(EnumText(NoticeWay, 8), nullable=False)
    )


class NoticeMissed(SQLModel, table=True):
    """Who a notice could not reach when it went out, and why (not registered with the bot,
    blocked it, no group for their department) — the receipts name them."""

    __tablename__ = "notice_missed"

    notice_id: int = Field(foreign_key="notice.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE", primary_key=True)
    department: str = Field(max_length=DEPARTMENT_MAX)
    reason: str = Field(max_length=20)


class NoticeConfirmation(SQLModel, table=True):
    """A member pressed 「收到」; the primary key makes a second press a no-op."""

    __tablename__ = "notice_confirmation"

    notice_id: int = Field(foreign_key="notice.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE", primary_key=True)
    confirmed_at: datetime = _utc()


class JobRun(SQLModel, table=True):
    """A daily job that has run for a day (the greeting run); it is not run again that day."""

    __tablename__ = "job_run"

    job: str = Field(max_length=32, primary_key=True)
    day: date = Field(primary_key=True)
    finished_at: datetime = _utc()


class JobLease(SQLModel, table=True):
    """One run of a recurring job for one due time (the minute tick of 08:00, say), taken by
    whichever instance inserts it first: several instances share the jobs, each run once."""

    __tablename__ = "job_lease"

    job: str = Field(max_length=32, primary_key=True)
    slot: str = Field(max_length=32, primary_key=True)
    instance: str = Field(max_length=40)
    at: datetime = _utc(index=True)


class WorkerPresence(SQLModel, table=True):
    """A delivery worker that is alive: workers count each other to share the flood limit."""

    __tablename__ = "worker_presence"

    instance: str = Field(max_length=40, primary_key=True)
    seen_at: datetime = _utc(index=True)


class Case(SQLModel, table=True):
    """A grievance (and, later, other matters a member brings to the union).

    For an anonymous case the reporter link exists only to relay replies and is erased when
    the case closes; with "no follow-up" it never exists.
    """

    __tablename__ = "case"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)
    kind: CaseKind = Field(
        default=CaseKind.GRIEVANCE,
        sa_column=Column(EnumText(CaseKind, 12), nullable=False, index=True),
    )
    category: str = Field(max_length=32, index=True)
    department: str = Field(max_length=DEPARTMENT_MAX, index=True)
    text: str
    attachments: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    anonymous: bool = False
    follow_up: bool = True
    reporter_member_id: int | None = Field(
        default=None, foreign_key="member.id", ondelete="SET NULL", index=True
    )
    assignee_member_id: int | None = Field(
        default=None, foreign_key="member.id", ondelete="SET NULL"
    )
    status: CaseStatus = Field(
        default=CaseStatus.SUBMITTED,
        sa_column=Column(EnumText(CaseStatus, 12), nullable=False, index=True),
    )
    created_at: datetime = _utc()
    ack_due: datetime = _utc()
    resolve_due: datetime = _utc()
    acknowledged_at: datetime | None = _utc(nullable=True)
    resolved_at: datetime | None = _utc(nullable=True)
    closed_at: datetime | None = _utc(nullable=True)
    rating: int | None = None


class CaseEntry(SQLModel, table=True):
    """One step in a case: a message in its thread or an action, with who and when (the audit)."""

    __tablename__ = "case_entry"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", ondelete="CASCADE", index=True)
    at: datetime = _utc()
    actor: CaseActor = Field(sa_column=Column(EnumText(CaseActor, 8), nullable=False))
    cadre_member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    action: CaseEntryAction = Field(sa_column=Column(EnumText(CaseEntryAction, 16), nullable=False))
    text: str | None = None


# The participation, knowledge and open-board tables live in modules of their own; one
# import of this module registers every table (Alembic and the tests rely on that).
from storage.open_board_models import OpenItem  # noqa: E402
from storage.participation_models import (  # noqa: E402
    Activity,
    ActivityLog,
    ConsoleLogin,
    KbQuestion,
    KbRevision,
    Signup,
    SuggestionSupport,
    Visit,
    Vote,
    VoteParticipation,
    VoteTally,
)

__all__ = [
    "Activity",
    "ActivityLog",
    "Case",
    "CaseEntry",
    "ConsoleLogin",
    "Dialog",
    "GroupChat",
    "JobLease",
    "JobRun",
    "KbQuestion",
    "KbRevision",
    "Member",
    "Notice",
    "NoticeAudience",
    "NoticeConfirmation",
    "OpenItem",
    "Outbox",
    "RoleChange",
    "Signup",
    "SuggestionSupport",
    "Visit",
    "Vote",
    "VoteParticipation",
    "VoteTally",
    "WorkerPresence",
]
