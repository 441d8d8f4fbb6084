"""/receipts: how far a notice got, per department, and who has not confirmed — as data,
and as the text and buttons a cadre sees."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.core.text_split import split_html
from bot.delivery.outcome import UNREACHABLE_CODES
from bot.delivery.outgoing import OutKind
from bot.notices.callbacks import ReceiptAction, ReceiptPress
from bot.strings import Html, Lang, t
from storage import groups, notices, outbox
from storage.models import Notice

NAMES_SHOWN = 40
REASONS = {
    "blocked": "reason_blocked",
    "deactivated": "reason_deactivated",
    "kicked": "reason_kicked",
    "left": "reason_left",
    "not_started": "reason_not_started",
    "chat_not_found": "reason_chat_not_found",
    "network": "reason_network",
    "rejected": "reason_rejected",
}


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
    for member_id, name, department in await notices.audience_names(session, notice.id):
        member_department[member_id] = department
        entry = of(department)
        entry.audience += 1
        if member_id in done:
            entry.confirmed += 1
        else:
            entry.unconfirmed.append(name)
    group_department: dict[int, str] = {}
    rows = await outbox.deliveries(session, ref_id=notice.id, kinds=[OutKind.NOTICE.value])
    for recipient, chat_id, status, error in rows:
        if recipient is not None:
            department = member_department.get(recipient, "")
        else:
            if chat_id not in group_department:
                group = await groups.get(session, chat_id)
                group_department[chat_id] = (group.department or "") if group else ""
            department = group_department[chat_id]
        entry = of(department)
        if status == outbox.SENT:
            entry.delivered += 1
        elif status in (outbox.FAILED, outbox.INACTIVE):
            entry.failed += 1
            entry.failures[failure_code(error)] += 1
        else:
            entry.waiting += 1
    return sorted(by_department.values(), key=lambda r: r.department)


def failure_code(error: str | None) -> str:
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


def _department_block(entry: DepartmentReceipt, lang: Lang) -> str:
    lines: list[str] = [
        t(
            lang,
            "receipt_department",
            department=entry.department or t(lang, "word_unbound"),
            delivered=entry.delivered,
            failed=entry.failed,
            waiting=entry.waiting,
            confirmed=entry.confirmed,
            audience=entry.audience,
        )
    ]
    for code, count in sorted(entry.failures.items()):
        reason = t(lang, REASONS.get(code, "reason_rejected"))
        lines.append(t(lang, "receipt_failure", reason=reason, count=count))
    if entry.unconfirmed:
        shown = "、".join(entry.unconfirmed[:NAMES_SHOWN])
        more = len(entry.unconfirmed) - NAMES_SHOWN
        lines.append(
            t(lang, "receipt_unconfirmed", names=shown)
            + (t(lang, "receipt_more", count=more) if more > 0 else "")
        )
    return "\n".join(lines)


def receipt_view(
    notice: Notice, entries: list[DepartmentReceipt], lang: Lang, zone: ZoneInfo
) -> tuple[Html, Keyboard]:
    """The receipt a cadre reads, with 「提醒未确认的 N 人」 (drawn for this round) and 刷新."""
    assert notice.id is not None
    head = summary_line(notice, lang, zone)
    blocks = [_department_block(entry, lang) for entry in entries] or [t(lang, "receipt_empty")]
    missing = sum(len(entry.unconfirmed) for entry in entries)
    refresh = ReceiptPress(action=ReceiptAction.SHOW, notice_id=notice.id)
    rows = [[Button(t(lang, "btn_refresh"), refresh)]]
    if notice.require_ack and missing:
        remind = ReceiptPress(
            action=ReceiptAction.REMIND, notice_id=notice.id, rounds=notice.reminders_sent
        )
        rows.insert(0, [Button(t(lang, "btn_remind_now", count=missing), remind)])
    return Html(head + "\n\n" + "\n\n".join(blocks)), Keyboard.of(rows)


def listing(recent: list[Notice], lang: Lang, zone: ZoneInfo) -> Keyboard:
    return Keyboard.column(
        [
            Button(
                summary_line(n, lang, zone),
                ReceiptPress(action=ReceiptAction.OPEN, notice_id=n.id or 0),
            )
            for n in recent
        ]
    )
