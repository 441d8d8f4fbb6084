"""Notices: who they reach, how they are queued, confirmations, reminders and receipts.

Telegram-free: everything leaves through the outbox, and texts come from the catalogue.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.text_split import split_html
from bot.delivery.outcome import UNREACHABLE_CODES
from bot.members.quiet_hours import held_until
from bot.strings import LANGUAGES, Html, Lang, normalise_lang, t
from storage import groups, notices, outbox
from storage.models import GroupChat, Member, Notice

Target = Literal["groups", "members", "both"]
CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
COUNT_RESERVE = 40  # room for the 「已确认 n/m」 line added to the last piece


@dataclass(frozen=True)
class NoticePolicy:
    """From config: reminders to the unconfirmed, and how often a group's count is edited."""

    remind_after: timedelta = timedelta(hours=2)
    remind_times: int = 1
    count_edit_interval: timedelta = timedelta(seconds=10)


@dataclass(frozen=True)
class Reach:
    groups: list[GroupChat]
    members: list[Member]
    audience: list[Member]


def as_target(value: str) -> Target:
    return "members" if value == "members" else "both" if value == "both" else "groups"


def ack_markup(notice_id: int, lang: Lang) -> dict[str, Any]:
    return {
        "inline_keyboard": [[{"text": t(lang, "btn_ack"), "callback_data": f"ack:{notice_id}"}]]
    }


def build_parts(
    notice: Notice, lang: Lang, *, union: str, footer: str = "", lead: str = ""
) -> list[dict[str, Any]]:
    """The pieces one chat receives: the attachment (captioned when the text fits), then the
    text split at sensible boundaries; `lead` (a reminder's first line) goes first and
    `footer` (the count) on the last piece."""
    body = (
        (lead + "\n\n" if lead else "") + t(lang, "notice_header", union=union) + "\n" + notice.text
    )
    attachment = notice.attachment
    reserve = COUNT_RESERVE if footer or notice.require_ack else 0
    parts: list[dict[str, Any]] = []
    if attachment:
        captioned = split_html(body, CAPTION_LIMIT - reserve)
        if len(captioned) == 1:
            return [
                {attachment["kind"]: attachment["file_id"], "text": _join(captioned[0], footer)}
            ]
        parts.append({attachment["kind"]: attachment["file_id"], "text": ""})
    pieces = split_html(body, TEXT_LIMIT - reserve)
    parts.extend({"text": piece} for piece in pieces)
    parts[-1]["text"] = _join(parts[-1]["text"], footer)
    return parts


def _join(text: str, footer: str) -> str:
    return f"{text}\n\n{footer}" if footer and text else footer or text


async def reach(session: AsyncSession, *, target: Target, departments: list[str] | None) -> Reach:
    """Which chats a notice would go to, and whose confirmation it would ask for."""
    query = select(Member).where(col(Member.registered_at).is_not(None))
    if departments is not None:
        query = query.where(col(Member.department).in_(departments))
    audience = list((await session.exec(query.order_by(col(Member.id)))).all())
    chats = await groups.bound(session, departments=departments) if target != "members" else []
    privately = (
        [m for m in audience if m.telegram_id is not None and m.active]
        if target != "groups"
        else []
    )
    return Reach(chats, privately, audience)


def _count_line(lang: Lang, confirmed: int, total: int) -> str:
    return t(lang, "ack_count", confirmed=confirmed, total=total)


async def release(
    session: AsyncSession,
    notice: Notice,
    *,
    now: datetime,
    zone: ZoneInfo,
    union: str,
    group_lang: Lang,
) -> Reach:
    """Queue a notice for every chat it reaches and fix its audience. Idempotent: the outbox
    keys are per notice and chat, the audience per notice and member."""
    assert notice.id is not None
    found = await reach(
        session,
        target=as_target(notice.target),
        departments=notice.departments,
    )
    await notices.add_audience(session, notice_id=notice.id, members=found.audience)
    rows: list[dict[str, Any]] = []
    for group in found.groups:
        footer = ""
        if notice.require_ack and group.department:
            total = sum(1 for m in found.audience if m.department == group.department)
            footer = _count_line(group_lang, 0, total)
        rows.append(
            _row(
                notice,
                group.chat_id,
                None,
                build_parts(notice, group_lang, union=union, footer=footer),
                group_lang,
                pin=notice.pin,
                not_before=now,
            )
        )
    # Every member reading one language gets the same pieces: split the text once per language.
    parts_in = {lang: build_parts(notice, lang, union=union) for lang in LANGUAGES}
    for member in found.members:
        assert member.telegram_id is not None
        lang = normalise_lang(member.language)
        due = held_until(now, member.quiet_start, member.quiet_end, zone) or now
        rows.append(
            _row(
                notice,
                member.telegram_id,
                member.id,
                parts_in[lang],
                lang,
                pin=False,
                not_before=due,
            )
        )
    await outbox.enqueue(session, rows, now=now)
    notice.status = notices.SENDING
    notice.released_at = now
    session.add(notice)
    await session.flush()
    return found


def group_key(notice_id: int, chat_id: int) -> str:
    return f"notice:{notice_id}:chat:{chat_id}"


def _row(
    notice: Notice,
    chat_id: int,
    member_id: int | None,
    parts: list[dict[str, Any]],
    lang: Lang,
    *,
    pin: bool,
    not_before: datetime,
) -> dict[str, Any]:
    assert notice.id is not None
    payload: dict[str, Any] = {"parts": parts, "pin": pin}
    if notice.require_ack:
        payload["markup"] = ack_markup(notice.id, lang)
    return {
        "key": group_key(notice.id, chat_id),
        "kind": "notice",
        "chat_id": chat_id,
        "member_id": member_id,
        "ref_id": notice.id,
        "payload": payload,
        "not_before": not_before,
    }


@dataclass(frozen=True)
class Confirmation:
    new: bool
    notice: Notice | None


async def confirm(
    session: AsyncSession,
    *,
    notice_id: int,
    member: Member,
    now: datetime,
    union: str,
    group_lang: Lang,
    policy: NoticePolicy,
) -> Confirmation:
    """Record a 「收到」 once, and queue the count edit of every group message of the notice."""
    notice = await notices.get(session, notice_id)
    if (
        notice is None
        or not notice.require_ack
        or notice.status not in (notices.SENDING, notices.SENT)
    ):
        return Confirmation(False, None)
    assert member.id is not None
    if not await notices.confirm(session, notice_id=notice_id, member_id=member.id, now=now):
        return Confirmation(False, notice)
    for row in await outbox.for_ref(session, ref_id=notice_id, kinds=["notice"], groups_only=True):
        if row.status in (outbox.FAILED, outbox.INACTIVE):
            continue
        group = await groups.get(session, row.chat_id)
        if group is None or group.department is None:
            continue
        confirmed, total = await notices.department_counts(
            session, notice_id=notice_id, department=group.department
        )
        parts = build_parts(
            notice, group_lang, union=union, footer=_count_line(group_lang, confirmed, total)
        )
        last = parts[-1]
        payload = {
            "target_key": row.key,
            "text": last["text"],
            "markup": ack_markup(notice_id, group_lang),
            "caption": "photo" in last or "document" in last,
        }
        await outbox.schedule_edit(
            session,
            key=f"{row.key}:count",
            chat_id=row.chat_id,
            payload=payload,
            ref_id=notice_id,
            now=now,
            min_interval=policy.count_edit_interval,
        )
    return Confirmation(True, notice)


async def remind(
    session: AsyncSession, notice: Notice, *, now: datetime, zone: ZoneInfo, union: str
) -> int:
    """Queue a private reminder to every member of the audience who has not confirmed.
    Each round has its own keys, so a round is sent once however often it is triggered."""
    assert notice.id is not None
    parts_in = {
        lang: build_parts(notice, lang, union=union, lead=t(lang, "reminder_intro"))
        for lang in LANGUAGES
    }
    round_number = notice.reminders_sent + 1
    done = await notices.confirmed_ids(session, notice.id)
    rows = []
    for member, _ in await notices.audience(session, notice.id):
        if member.id in done or member.telegram_id is None or not member.active:
            continue
        lang = normalise_lang(member.language)
        parts = parts_in[lang]
        rows.append(
            {
                "key": f"notice:{notice.id}:remind:{round_number}:member:{member.id}",
                "kind": "reminder",
                "chat_id": member.telegram_id,
                "member_id": member.id,
                "ref_id": notice.id,
                "payload": {"parts": parts, "markup": ack_markup(notice.id, lang)},
                "not_before": held_until(now, member.quiet_start, member.quiet_end, zone) or now,
            }
        )
    added = await outbox.enqueue(session, rows, now=now)
    notice.reminders_sent = round_number
    session.add(notice)
    await session.flush()
    return added


async def tick(
    session: AsyncSession,
    *,
    now: datetime,
    zone: ZoneInfo,
    union: str,
    group_lang: Lang,
    policy: NoticePolicy,
) -> int:
    """The minute job: release scheduled notices that are due, and send due reminders.
    Safe with several instances: a notice changes status only for the instance that takes it."""
    queued = 0
    for notice in await notices.due(session, now=now):
        assert notice.id is not None
        if await notices.take_if(
            session, notice.id, expected=notices.SCHEDULED, new=notices.SENDING
        ):
            await session.refresh(notice)
            found = await release(
                session, notice, now=now, zone=zone, union=union, group_lang=group_lang
            )
            queued += len(found.groups) + len(found.members)
    for notice in await notices.awaiting_confirmation(session, rounds=policy.remind_times):
        if notice.released_at is None:
            continue
        if now >= notice.released_at + policy.remind_after * (notice.reminders_sent + 1):
            queued += await remind(session, notice, now=now, zone=zone, union=union)
    return queued


@dataclass
class DepartmentReceipt:
    department: str
    audience: int = 0
    confirmed: int = 0
    delivered: int = 0
    failed: int = 0
    waiting: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    unconfirmed: list[str] = field(default_factory=list)


async def receipts(session: AsyncSession, notice: Notice) -> list[DepartmentReceipt]:
    """Per department: delivery of the notice's messages and who has and has not confirmed."""
    assert notice.id is not None
    by_department: dict[str, DepartmentReceipt] = {}

    def of(department: str) -> DepartmentReceipt:
        return by_department.setdefault(department, DepartmentReceipt(department))

    done = await notices.confirmed_ids(session, notice.id)
    member_department: dict[int, str] = {}
    for member, department in await notices.audience(session, notice.id):
        assert member.id is not None
        member_department[member.id] = department
        entry = of(department)
        entry.audience += 1
        if member.id in done:
            entry.confirmed += 1
        else:
            entry.unconfirmed.append(member.name)
    for row in await outbox.for_ref(session, ref_id=notice.id, kinds=["notice"]):
        if row.member_id is not None:
            department = member_department.get(row.member_id, "")
        else:
            group = await groups.get(session, row.chat_id)
            department = group.department if group and group.department else ""
        entry = of(department)
        if row.status == outbox.SENT:
            entry.delivered += 1
        elif row.status in (outbox.FAILED, outbox.INACTIVE):
            entry.failed += 1
            entry.failures[_failure_code(row.error)] += 1
        else:
            entry.waiting += 1
    return sorted(by_department.values(), key=lambda r: r.department)


def _failure_code(error: str | None) -> str:
    """The receipt's reason: unreachable rows keep a code, others a Telegram or network text."""
    if error in UNREACHABLE_CODES:
        return error
    if error is not None and error.startswith("network"):
        return "network"
    return "rejected"


def summary_line(notice: Notice, lang: Lang, zone: ZoneInfo) -> Html:
    when = (notice.released_at or notice.scheduled_at).astimezone(zone).strftime("%m-%d %H:%M")
    plain = split_html(notice.text, 24)[0]
    return t(lang, "notice_line", id=notice.id or 0, when=when, title=Html(plain))
