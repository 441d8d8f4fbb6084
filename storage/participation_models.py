"""The tables of activities, votes, suggestions' support, care visits, console logins and the
knowledge base (re-exported by storage.models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import utc as _utc
from storage.statuses import (
    ActivityStatus,
    KbAction,
    KbVia,
    SignupState,
    VisitStatus,
    VoteStatus,
)
from storage.types import EnumText


class Activity(SQLModel, table=True):
    """An activity members sign up for: a match, an outing, a singles' social."""

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=64)
    description: str = ""
    place: str = Field(default="", max_length=64)
    starts_at: datetime = _utc(index=True)
    ends_at: datetime = _utc()
    deadline: datetime = _utc()
    capacity: int | None = None
    departments: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    guests_max: int = 0
    list_visible: bool = True
    weekly: bool = False
    series_id: int | None = Field(default=None, index=True)
    status: ActivityStatus = Field(
        default=ActivityStatus.OPEN,
        sa_column=Column(EnumText(ActivityStatus, 10), nullable=False),
    )
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = _utc()


class Signup(SQLModel, table=True):
    """A member's place (or place in the queue) at an activity; one per member and activity."""

    __tablename__ = "signup"
    __table_args__ = (UniqueConstraint("activity_id", "member_id", name="uq_signup_member"),)

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE")
    guests: int = 0
    state: SignupState = Field(
        default=SignupState.CONFIRMED,
        sa_column=Column(EnumText(SignupState, 10), nullable=False),
    )
    created_at: datetime = _utc()
    offered_until: datetime | None = _utc(nullable=True)
    checked_in_at: datetime | None = _utc(nullable=True)


class ActivityLog(SQLModel, table=True):
    """Every cadre's manual change to an activity's list, with the reason."""

    __tablename__ = "activity_log"

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="activity.id", ondelete="CASCADE", index=True)
    actor_telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    action: str = Field(max_length=16)
    reason: str = ""
    at: datetime = _utc()


class Vote(SQLModel, table=True):
    """A secret-ballot vote: who may vote, when, and the options."""

    __tablename__ = "vote"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(max_length=200)
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    departments: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    opens_at: datetime = _utc()
    closes_at: datetime = _utc(index=True)
    quorum_percent: int | None = None
    status: VoteStatus = Field(
        default=VoteStatus.OPEN, sa_column=Column(EnumText(VoteStatus, 10), nullable=False)
    )
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = _utc()
    # How many could vote, counted as it closed: members who join later leave a result as it was.
    electorate: int | None = None


class VoteParticipation(SQLModel, table=True):
    """That a member voted — and nothing about how, nor when."""

    __tablename__ = "vote_participation"

    vote_id: int = Field(foreign_key="vote.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE", primary_key=True)


class VoteTally(SQLModel, table=True):
    """How many ballots each option got. Ballots are counted, never stored one by one, so no
    row, order or time can tie a ballot to the member who cast it."""

    __tablename__ = "vote_tally"

    vote_id: int = Field(foreign_key="vote.id", ondelete="CASCADE", primary_key=True)
    option: int = Field(primary_key=True)
    count: int = 0


class SuggestionSupport(SQLModel, table=True):
    """A member co-signed a published suggestion (once)."""

    __tablename__ = "suggestion_support"

    case_id: int = Field(foreign_key="case.id", ondelete="CASCADE", primary_key=True)
    member_id: int = Field(foreign_key="member.id", ondelete="CASCADE", primary_key=True)


class Visit(SQLModel, table=True):
    """A care visit (五必访) and what was given; over the cap it waits for the chair."""

    __tablename__ = "visit"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", ondelete="CASCADE", index=True)
    cadre_member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    amount: int = 0
    note: str = ""
    status: VisitStatus = Field(
        default=VisitStatus.RECORDED,
        sa_column=Column(EnumText(VisitStatus, 10), nullable=False),
    )
    approved_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    approval_reason: str = ""
    at: datetime = _utc()


class ConsoleLogin(SQLModel, table=True):
    """A one-time login link to the console for a desktop browser: only a hash of its secret
    is kept; it is bound to one user, valid briefly and used once."""

    __tablename__ = "console_login"

    token_hash: str = Field(max_length=64, primary_key=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    created_at: datetime = _utc()
    expires_at: datetime = _utc(index=True)
    used_at: datetime | None = _utc(nullable=True)


class KbRevision(SQLModel, table=True):
    """A cadre's change to a knowledge-base entry: a new entry, an edit, a retirement or a
    restoration. Never updated or deleted, so every edit is kept; the newest revision of an
    entry is the one in force (over the copy shipped with the package)."""

    __tablename__ = "kb_revision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=40, index=True)
    action: KbAction = Field(sa_column=Column(EnumText(KbAction, 10), nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    retired: bool = False
    author_member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    case_id: int | None = Field(default=None, foreign_key="case.id", ondelete="SET NULL")
    at: datetime = _utc()


class KbQuestion(SQLModel, table=True):
    """A question asked of the knowledge base, what it found and whether that helped.

    The asker is kept only so that they alone can rate it or hand it to the union; what
    cadres see of it (/kbstats) never names them."""

    __tablename__ = "kb_question"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(
        default=None, foreign_key="member.id", ondelete="SET NULL", index=True
    )
    text: str = Field(sa_column=Column(String(2000), nullable=False))
    details: str = Field(default="", sa_column=Column(String(2000), nullable=False))
    language: str = Field(default="zh", max_length=5)
    via: KbVia = Field(default=KbVia.ASK, sa_column=Column(EnumText(KbVia, 10), nullable=False))
    entry_id: str | None = Field(default=None, max_length=40, index=True)
    score: float = 0.0
    confident: bool = False
    helpful: bool | None = None
    case_id: int | None = Field(default=None, foreign_key="case.id", ondelete="SET NULL")
    at: datetime = _utc(index=True)
