"""What each chat receives, and releasing a notice into the outbox to everyone it reaches."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.core.text_split import split_html
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, Part, enqueue
from bot.members.quiet_hours import held_until
from bot.notices import audience
from bot.notices.audience import Reach
from bot.notices.callbacks import AckPress
from bot.strings import LANGUAGES, Lang, normalise_lang, t
from storage import notices
from storage.members import RosterPerson
from storage.models import Notice
from storage.statuses import NoticeStatus, NoticeWay

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
COUNT_RESERVE = 40  # room for the 「已确认 n/m」 line added to the last piece


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
    private_when_no_group: bool = True,
) -> Reach:
    """Queue a notice for every chat it reaches and record whom it reached and by which way
    (and whom not, and why), a page of the roster at a time. Idempotent: the outbox keys are
    per notice and chat, the audience per notice and member."""
    assert notice.id is not None
    # Counted first, so the group posts (carrying 「已确认 0/n」) queue ahead of the private
    # copies: a group reaches many people at once.
    counted = await audience.reach(session, notice, private_when_no_group=private_when_no_group)
    messages: list[Outgoing] = []
    for group in counted.groups:
        footer = ""
        if notice.require_ack and group.department:
            footer = count_line(group_lang, 0, counted.department_size(group.department))
        parts = build_parts(notice, group_lang, union=union, footer=footer)
        messages.append(_copy(notice, group.chat_id, parts, group_lang, when=now, pin=notice.pin))
    await enqueue(session, messages, now=now)
    rule, chats = await audience.plan(session, notice, private_when_no_group=private_when_no_group)
    found = Reach(chats)
    # Every member reading one language gets the same pieces: split the text once per language.
    parts_in = {lang: build_parts(notice, lang, union=union) for lang in LANGUAGES}
    async for page in audience.walk(session, rule, notice.departments):
        reached: list[tuple[int, str, NoticeWay]] = []
        missed: list[tuple[int, str, str]] = []
        written = [person for person, _ in page if rule.writes_to(person)]
        for person, way in page:
            found.count(person.name, person.department, way, copy=rule.writes_to(person))
            if isinstance(way, NoticeWay):
                reached.append((person.id, person.department, way))
            else:
                missed.append((person.id, person.department, way))
        await notices.add_audience(session, notice_id=notice.id, reached=reached)
        await notices.add_missed(session, notice_id=notice.id, missed=missed)
        await enqueue(session, _private_copies(notice, written, parts_in, now, zone), now=now)
        found.written += len(written)
    notice.status = NoticeStatus.SENDING
    notice.released_at = now
    await notices.save(session, notice)
    return found


def _private_copies(
    notice: Notice,
    people: list[RosterPerson],
    parts_in: dict[Lang, list[Part]],
    now: datetime,
    zone: ZoneInfo,
) -> list[Outgoing]:
    copies = []
    for person in people:
        assert person.telegram_id is not None
        lang = normalise_lang(person.language)
        due = held_until(now, person.quiet_start, person.quiet_end, zone) or now
        copies.append(
            _copy(notice, person.telegram_id, parts_in[lang], lang, when=due, member_id=person.id)
        )
    return copies
