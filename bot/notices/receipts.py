"""/receipts: whom a notice reached (people, by way; groups apart), whom it missed and why,
and who has not confirmed — as data, and as the text and buttons a cadre sees."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.core.text_split import split_html
from bot.notices import audience
from bot.notices.audience import DepartmentReach, Reach
from bot.notices.callbacks import ReceiptAction, ReceiptPress
from bot.notices.reach_view import missed_lines, names_text, reason_text, total_line
from bot.strings import Html, Lang, t
from storage import notices
from storage.models import Notice


@dataclass
class DepartmentReceipt:
    """One department's people reached (by way), whom it missed, and who has confirmed."""

    reach: DepartmentReach
    confirmed: int = 0
    unconfirmed: list[str] = field(default_factory=list)

    @property
    def department(self) -> str:
        return self.reach.department


@dataclass
class Receipt:
    reach: Reach
    departments: list[DepartmentReceipt]
    group_posts: Counter[str]

    @property
    def confirmed(self) -> int:
        return sum(entry.confirmed for entry in self.departments)

    @property
    def unconfirmed(self) -> int:
        return sum(len(entry.unconfirmed) for entry in self.departments)


async def receipts(session: AsyncSession, notice: Notice) -> Receipt:
    """Per department: the people the notice reached and by which way, whom it missed and
    why, and who has and has not confirmed; its group posts counted apart."""
    assert notice.id is not None
    found = await audience.recorded(session, notice)
    done = await notices.confirmed_ids(session, notice.id)
    entries = {entry.department: DepartmentReceipt(entry) for entry in found.reach.entries}
    for member_id, name, department in found.reached:
        entry = entries[department]
        if member_id in done:
            entry.confirmed += 1
        else:
            entry.unconfirmed.append(name)
    return Receipt(found.reach, list(entries.values()), found.group_posts)


def summary_line(notice: Notice, lang: Lang, zone: ZoneInfo) -> Html:
    when = (notice.released_at or notice.scheduled_at).astimezone(zone).strftime("%m-%d %H:%M")
    plain = split_html(notice.text, 24)[0]
    return t(lang, "notice_line", id=notice.id or 0, when=when, title=Html(plain))


def _department_block(entry: DepartmentReceipt, lang: Lang) -> str:
    reach = entry.reach
    lines: list[str] = [
        t(
            lang,
            "receipt_department",
            department=entry.department or t(lang, "word_unbound"),
            confirmed=entry.confirmed,
            people=reach.people,
            by_group=reach.by_group,
            privately=reach.privately,
        )
    ]
    if reach.waiting:
        lines.append(t(lang, "receipt_private_waiting", count=reach.waiting))
    lines.extend(missed_lines(reach, lang))
    if entry.unconfirmed:
        lines.append(t(lang, "receipt_unconfirmed", names=names_text(lang, entry.unconfirmed)))
    return "\n".join(lines)


def _groups_block(posts: Counter[str], lang: Lang) -> list[str]:
    if not posts:
        return []
    failed = {code: n for code, n in posts.items() if code not in ("sent", "waiting")}
    lines: list[str] = [
        t(
            lang,
            "receipt_groups",
            sent=posts["sent"],
            waiting=posts["waiting"],
            failed=sum(failed.values()),
        )
    ]
    for code, count in sorted(failed.items()):
        lines.append(t(lang, "receipt_failure", reason=reason_text(lang, code), count=count))
    return lines


def receipt_view(
    notice: Notice, receipt: Receipt, lang: Lang, zone: ZoneInfo
) -> tuple[Html, Keyboard]:
    """The receipt a cadre reads — people reached by way, the groups apart, 「已确认 n/m」
    of the people reached — with 「提醒未确认的 N 人」 (drawn for this round) and 刷新."""
    assert notice.id is not None
    head: list[str] = [summary_line(notice, lang, zone), total_line(receipt.reach, lang)]
    if notice.require_ack:
        head.append(
            t(lang, "receipt_confirmed", confirmed=receipt.confirmed, people=receipt.reach.people)
        )
    head.extend(_groups_block(receipt.group_posts, lang))
    blocks = [_department_block(entry, lang) for entry in receipt.departments] or [
        t(lang, "receipt_empty")
    ]
    missing = receipt.unconfirmed
    refresh = ReceiptPress(action=ReceiptAction.SHOW, notice_id=notice.id)
    rows = [[Button(t(lang, "btn_refresh"), refresh)]]
    if notice.require_ack and missing:
        remind = ReceiptPress(
            action=ReceiptAction.REMIND, notice_id=notice.id, rounds=notice.reminders_sent
        )
        rows.insert(0, [Button(t(lang, "btn_remind_now", count=missing), remind)])
    return Html("\n".join(head) + "\n\n" + "\n\n".join(blocks)), Keyboard.of(rows)


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
