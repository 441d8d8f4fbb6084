"""The daily greeting run: birthdays (privately, and in the group with consent), festivals to
the bound groups, and the cadres' morning digest. Everything goes through the outbox with a
key per day and recipient, so a rerun, a restart or a second instance sends nothing twice."""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.greetings.calendar import falls_on, workday_status
from bot.greetings.celebrations import RunContext, age_on, celebrating_on, festivals, working
from bot.greetings.digest import digests
from bot.greetings.festivals import Festival
from bot.members.quiet_hours import held_until
from bot.strings import normalise_lang, t
from storage import groups, jobs
from storage.models import Member

JOB = "greetings"


def _fill(template: str, **values: object) -> str:
    """A union-written template: its text and the values are escaped for HTML."""
    return html.escape(template, quote=False).format(
        **{k: html.escape(str(v), quote=False) for k, v in values.items()}
    )


def _private_birthday(ctx: RunContext, member: Member) -> Outgoing:
    lang = normalise_lang(member.language)
    age = age_on(member, ctx.day)
    template = ctx.settings.birthday_private_en if lang == "en" else ctx.settings.birthday_private
    note = t(lang, "age_note", age=age) if age is not None else ""
    text = _fill(
        template, name=member.name, department=member.department, union=ctx.union, age_note=note
    )
    assert member.telegram_id is not None and member.id is not None
    due = held_until(ctx.now, member.quiet_start, member.quiet_end, ctx.zone) or ctx.now
    return Outgoing.text(
        keys.birthday_to_member(ctx.day, member.id),
        OutKind.GREETING,
        member.telegram_id,
        text,
        member_id=member.id,
        not_before=due,
    )


async def _birthday_greetings(session: AsyncSession, ctx: RunContext) -> list[Outgoing]:
    rows = []
    sharing: defaultdict[str, list[str]] = defaultdict(list)
    for member in await celebrating_on(session, ctx.day):
        if member.telegram_id is not None and member.active:
            rows.append(_private_birthday(ctx, member))
        if member.share_birthday:
            sharing[member.department].append(member.name)
    for group in await groups.bound(session, departments=sorted(sharing)):
        assert group.department is not None
        names = "、".join(sharing[group.department])
        text = _fill(ctx.settings.birthday_group, names=names, union=ctx.union)
        key = keys.birthday_in_group(ctx.day, group.chat_id)
        rows.append(Outgoing.text(key, OutKind.GREETING, group.chat_id, text))
    return rows


async def _festival_greetings(
    session: AsyncSession, ctx: RunContext, today: list[Festival]
) -> list[Outgoing]:
    rows = []
    chats = await groups.bound(session) if today else []
    for festival in today:
        template = festival.text_en if ctx.group_lang == "en" else festival.text_zh
        text = _fill(template, union=ctx.union)
        for group in chats:
            key = keys.festival_in_group(festival.rule.key, ctx.day, group.chat_id)
            rows.append(Outgoing.text(key, OutKind.GREETING, group.chat_id, text))
    return rows


async def daily_run(
    session: AsyncSession, *, now: datetime, config: Config, day: date, again: bool = False
) -> int:
    """The day's greetings and digests, queued once. Returns how many rows were new.
    `again` runs it even if it ran today (an admin's rerun): only what is new goes out."""
    # Taken first, in this transaction: another instance racing across 08:00 waits on the row,
    # then finds the day's run taken and queues nothing.
    if not again and not await jobs.claim_run(session, job=JOB, day=day, now=now):
        return 0
    union = config.union
    ctx = RunContext(day, now, union.zone, union.name, union.default_language, config.greetings)
    chosen = festivals(config.greetings)
    today = [f for f in chosen if falls_on(f.rule, day)]
    messages = await _birthday_greetings(session, ctx)
    messages += await _festival_greetings(session, ctx, today)
    morning = now.astimezone(union.zone).time() < config.greetings.digest_by
    if config.greetings.digest and working(day) and morning:
        messages += await digests(session, ctx, chosen, admins=union.admins)
    if workday_status(day) == "unknown":
        messages += _unknown_year_alerts(ctx, union.admins)
    added = await enqueue(session, messages, now=now)
    if again:
        await jobs.mark_run(session, job=JOB, day=day, now=now)
    return added


def _unknown_year_alerts(ctx: RunContext, admins: list[int]) -> list[Outgoing]:
    """The admins hear once a year that its official calendar is not known yet."""
    year = ctx.day.year
    text = t(ctx.group_lang, "calendar_unknown_year", year=year)
    return [
        Outgoing.text(keys.calendar_unpublished(year, admin), OutKind.ALERT, admin, text)
        for admin in admins
    ]
