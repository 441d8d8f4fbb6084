"""Who a notice reaches, what each chat receives, and releasing it into the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.core.text_split import split_html
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, Part, enqueue
from bot.members.quiet_hours import held_until
from bot.notices.callbacks import AckPress
from bot.strings import LANGUAGES, Lang, normalise_lang, t
from storage import groups, members, notices
from storage.models import GroupChat, Member, Notice
from storage.statuses import NoticeStatus, NoticeTarget

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
COUNT_RESERVE = 40  # room for the 「已确认 n/m」 line added to the last piece


PAGE = 1000  # members read, fixed as the audience and queued per page


@dataclass(frozen=True)
class Reach:
    """Where a notice would go: the bound groups, and per department how many registered
    members it concerns and how many of them it reaches privately."""

    groups: list[GroupChat]
    departments: dict[str, tuple[int, int]]
    private: bool

    @property
    def audience(self) -> int:
        return sum(total for total, _ in self.departments.values())

    @property
    def members(self) -> int:
        """People written to privately."""
        return sum(able for _, able in self.departments.values()) if self.private else 0

    def department_size(self, department: str | None) -> int:
        return self.departments.get(department or "", (0, 0))[0]


def ack_keyboard(notice_id: int, lang: Lang) -> Keyboard:
    return Keyboard.column([Button(t(lang, "btn_ack"), AckPress(notice_id=notice_id))])


def count_line(lang: Lang, confirmed: int, total: int) -> str:
    return t(lang, "ack_count", confirmed=confirmed, total=total)


def build_parts(
    notice: Notice, lang: Lang, *, union: str, footer: str = "", lead: str = ""
) -> list[Part]:
    """The pieces one chat receives: the attachment (captioned when the text fits), then the
    text split at sensible boundaries; `lead` (a reminder's first line) goes first and
    `footer` (the count) on the last piece."""
    body = (
        (lead + "\n\n" if lead else "") + t(lang, "notice_header", union=union) + "\n" + notice.text
    )
    attachment = notice.attachment
    reserve = COUNT_RESERVE if footer or notice.require_ack else 0
    parts: list[Part] = []
    if attachment:
        captioned = split_html(body, CAPTION_LIMIT - reserve)
        if len(captioned) == 1:
            text = _join(captioned[0], footer)
            return [Part.attachment(attachment["kind"], attachment["file_id"], text)]
        parts.append(Part.attachment(attachment["kind"], attachment["file_id"]))
    pieces = split_html(body, TEXT_LIMIT - reserve)
    parts.extend(Part(piece) for piece in pieces[:-1])
    parts.append(Part(_join(pieces[-1], footer)))
    return parts


def _join(text: str, footer: str) -> str:
    return f"{text}\n\n{footer}" if footer and text else footer or text


async def reach(
    session: AsyncSession, *, target: NoticeTarget, departments: list[str] | None
) -> Reach:
    """Which chats a notice would go to, and whose confirmation it would ask for (counted,
    not loaded: a union may have 100,000 members)."""
    chats = (
        await groups.bound(session, departments=departments)
        if target != NoticeTarget.MEMBERS
        else []
    )
    sizes = await members.registered_by_department(session, departments=departments)
    return Reach(chats, sizes, private=target != NoticeTarget.GROUPS)


def _copy(
    notice: Notice,
    chat_id: int,
    parts: list[Part],
    lang: Lang,
    *,
    when: datetime,
    member_id: int | None = None,
    pin: bool = False,
) -> Outgoing:
    assert notice.id is not None
    return Outgoing(
        keys.notice_copy(notice.id, chat_id),
        OutKind.NOTICE,
        chat_id,
        tuple(parts),
        ack_keyboard(notice.id, lang) if notice.require_ack else None,
        member_id=member_id,
        ref_id=notice.id,
        not_before=when,
        pin=pin,
    )


async def release(
    session: AsyncSession,
    notice: Notice,
    *,
    now: datetime,
    zone: ZoneInfo,
    union: str,
    group_lang: Lang,
) -> Reach:
    """Queue a notice for every chat it reaches and fix its audience, a page of members at a
    time. Idempotent: the outbox keys are per notice and chat, the audience per notice and
    member."""
    assert notice.id is not None
    found = await reach(session, target=notice.target, departments=notice.departments)
    messages: list[Outgoing] = []
    for group in found.groups:
        footer = ""
        if notice.require_ack and group.department:
            footer = count_line(group_lang, 0, found.department_size(group.department))
        parts = build_parts(notice, group_lang, union=union, footer=footer)
        messages.append(_copy(notice, group.chat_id, parts, group_lang, when=now, pin=notice.pin))
    await enqueue(session, messages, now=now)
    # Every member reading one language gets the same pieces: split the text once per language.
    parts_in = {lang: build_parts(notice, lang, union=union) for lang in LANGUAGES}
    after = 0
    while page := await members.registered(
        session, departments=notice.departments, after_id=after, limit=PAGE
    ):
        after = page[-1].id or after
        await notices.add_audience(session, notice_id=notice.id, members=page)
        if found.private:
            await enqueue(session, _private_copies(notice, page, parts_in, now, zone), now=now)
    notice.status = NoticeStatus.SENDING
    notice.released_at = now
    await notices.save(session, notice)
    return found


def _private_copies(
    notice: Notice,
    page: list[Member],
    parts_in: dict[Lang, list[Part]],
    now: datetime,
    zone: ZoneInfo,
) -> list[Outgoing]:
    copies = []
    for member in page:
        if member.telegram_id is None or not member.active:
            continue
        lang = normalise_lang(member.language)
        due = held_until(now, member.quiet_start, member.quiet_end, zone) or now
        copies.append(
            _copy(notice, member.telegram_id, parts_in[lang], lang, when=due, member_id=member.id)
        )
    return copies
