"""Every outbox idempotency key is built here, and only here.

A key names one message to one recipient for one reason; queueing the same key twice queues
it once. So a rerun, a restart, a second instance or a double tap never sends twice. A test
fails if a key is built anywhere else.
"""

from __future__ import annotations

from datetime import date, datetime


class OutboxKey(str):
    """An idempotency key (construct it only in this module)."""

    __slots__ = ()


def stored(key: str) -> OutboxKey:
    """A key read back from the outbox."""
    return OutboxKey(key)


def _key(*parts: object) -> OutboxKey:
    key = ":".join(str(part) for part in parts)
    if len(key) > 160:
        raise ValueError(f"outbox key over 160 characters: {key[:40]}…")
    return OutboxKey(key)


# Notices
def notice_copy(notice_id: int, chat_id: int) -> OutboxKey:
    return _key("notice", notice_id, "chat", chat_id)


def notice_reminder(notice_id: int, round_number: int, member_id: int) -> OutboxKey:
    return _key("notice", notice_id, "remind", round_number, "member", member_id)


def live_count(target: OutboxKey) -> OutboxKey:
    """The one coalescing edit row of a sent message's live count."""
    return _key(target, "count")


# Cases
def case_prefix(case_id: int) -> str:
    """Every key of one case starts so (for purging a closed anonymous case's relays)."""
    return f"case:{case_id}:"


def case_to_member(case_id: int, entry_id: int, member_id: int) -> OutboxKey:
    return _key("case", case_id, "entry", entry_id, "cadre", member_id)


def case_to_reporter(case_id: int, entry_id: int) -> OutboxKey:
    return _key("case", case_id, "entry", entry_id, "reporter")


def case_to_assignee(case_id: int, entry_id: int) -> OutboxKey:
    return _key("case", case_id, "entry", entry_id, "assignee")


def case_to_chair(case_id: int, entry_id: int, admin_id: int) -> OutboxKey:
    return _key("case", case_id, "entry", entry_id, "chair", admin_id)


def case_new_in_chat(case_id: int) -> OutboxKey:
    return _key("case", case_id, "new", "chat")


def case_sla_missed(case_id: int, deadline: str, admin_id: int) -> OutboxKey:
    return _key("case", case_id, "sla", deadline, "missed", admin_id)


def case_sla_reminder(case_id: int, deadline: str, member_id: int) -> OutboxKey:
    return _key("case", case_id, "sla", deadline, "remind", member_id)


# Suggestions and care
def suggestion_post(case_id: int, chat_id: int) -> OutboxKey:
    return _key("suggestion", case_id, "post", "chat", chat_id)


def life_event_post(case_id: int, chat_id: int) -> OutboxKey:
    return _key("lifeevent", case_id, "chat", chat_id)


def visit_approval(visit_id: int, admin_id: int) -> OutboxKey:
    return _key("visit", visit_id, "approval", admin_id)


def visit_decision(visit_id: int) -> OutboxKey:
    return _key("visit", visit_id, "decision")


def hardship_recheck(case_id: int, round_number: int, member_id: int) -> OutboxKey:
    return _key("hardship", case_id, "recheck", round_number, member_id)


# Activities
def role_changed(member_id: int, role: str, at: datetime) -> OutboxKey:
    """A member told of their new role (each change is its own message)."""
    return _key("role", member_id, role, at.isoformat())


def activity_post(activity_id: int, chat_id: int) -> OutboxKey:
    return _key("activity", activity_id, "post", "chat", chat_id)


def activity_offer(activity_id: int, signup_id: int, at: datetime) -> OutboxKey:
    return _key("activity", activity_id, "offer", signup_id, at.isoformat())


def activity_confirmed(activity_id: int, signup_id: int, at: datetime) -> OutboxKey:
    """A place confirmed (signing up again after cancelling is a new confirmation)."""
    return _key("activity", activity_id, "confirmed", signup_id, at.isoformat())


def activity_changed(activity_id: int, at: datetime, signup_id: int) -> OutboxKey:
    """A change of time or place told to one sign-up (each change is its own message)."""
    return _key("activity", activity_id, "changed", at.isoformat(), signup_id)


def activity_cancelled(activity_id: int, signup_id: int) -> OutboxKey:
    return _key("activity", activity_id, "cancelled", signup_id)


def activity_reminder(activity_id: int, hours: int, signup_id: int) -> OutboxKey:
    return _key("activity", activity_id, "remind", f"{hours}h", signup_id)


# Votes
def vote_ballot(vote_id: int, member_id: int) -> OutboxKey:
    return _key("vote", vote_id, "ballot", member_id)


def vote_results(vote_id: int, chat_id: int) -> OutboxKey:
    return _key("vote", vote_id, "results", "chat", chat_id)


# Greetings and the daily run
def birthday_to_member(day: date, member_id: int) -> OutboxKey:
    return _key("greeting", "birthday", day, "member", member_id)


def birthday_in_group(day: date, chat_id: int) -> OutboxKey:
    return _key("greeting", "birthday", day, "chat", chat_id)


def festival_in_group(festival: str, day: date, chat_id: int) -> OutboxKey:
    return _key("greeting", "festival", festival, day, "chat", chat_id)


def digest(day: date, telegram_id: int, part: int = 1) -> OutboxKey:
    suffix = () if part == 1 else ("part", part)
    return _key("digest", day, "user", telegram_id, *suffix)


def calendar_unpublished(year: int, admin_id: int) -> OutboxKey:
    return _key("calendar", "unpublished", year, "admin", admin_id)


# The open board (公开栏)
def open_board_post(month: date, chat_id: int) -> OutboxKey:
    """The month's board in one group (one a month, whichever instance runs it)."""
    return _key("open", "month", month.strftime("%Y-%m"), "chat", chat_id)
