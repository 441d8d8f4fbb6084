"""The cadres' morning digest: whose birthday it is (so the cake is ready), who is next this
week, and which welfare festivals are coming. It goes out on working days; the first
working day after a weekend or holiday also covers the birthdays that fell during it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.text_split import split_html
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, Part
from bot.greetings.calendar import falls_on
from bot.greetings.celebrations import RunContext, cadres_and_admins, celebrating_on, working
from bot.greetings.festivals import Festival
from bot.strings import Lang, t
from storage.models import Member

WEEK_AHEAD = 6
LOOKBACK_LIMIT = 14


def covered_days(today: date) -> list[date]:
    """Today and the non-working days just before it (a Monday covers the weekend)."""
    days = [today]
    previous = today - timedelta(days=1)
    while not working(previous) and len(days) < LOOKBACK_LIMIT:
        days.insert(0, previous)
        previous -= timedelta(days=1)
    return days


def _by_department(people: list[Member]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for member in people:
        grouped.setdefault(member.department, []).append(member.name)
    return grouped


def _render(
    lang: Lang,
    recent: list[tuple[date, Member]],
    ahead: list[tuple[date, Member]],
    reminders: list[tuple[Festival, date]],
    days_before: int,
    *,
    after_days_off: bool,
) -> str:
    lines = [t(lang, "digest_title")]
    if recent:
        # 「含刚过去的休息日」 only when today really follows days off (per the calendar).
        lines.append(t(lang, "digest_today_days_off" if after_days_off else "digest_today"))
        grouped = _by_department([m for _, m in recent])
        lines += [
            t(lang, "digest_department", department=d, names="、".join(n))
            for d, n in sorted(grouped.items())
        ]
    if ahead:
        lines.append(t(lang, "digest_week"))
        lines += [
            t(
                lang,
                "digest_upcoming",
                when=f"{d.month}-{d.day:02d}",
                department=m.department,
                name=m.name,
            )
            for d, m in ahead
        ]
    for festival, when in reminders:
        name = festival.name_en if lang == "en" else festival.name_zh
        lines.append(
            t(
                lang,
                "digest_benefits",
                festival=name,
                days=days_before,
                when=f"{when.month}-{when.day:02d}",
            )
        )
    return "\n".join(lines)


async def digests(
    session: AsyncSession, ctx: RunContext, festivals: list[Festival], *, admins: list[int]
) -> list[Outgoing]:
    """One digest per cadre and admin, if there is anything to say."""
    covered = covered_days(ctx.day)
    recent = [(d, m) for d in covered for m in await celebrating_on(session, d)]
    ahead = [
        (ctx.day + timedelta(days=n), m)
        for n in range(1, WEEK_AHEAD + 1)
        for m in await celebrating_on(session, ctx.day + timedelta(days=n))
    ]
    lead = ctx.settings.benefit_reminder_days
    reminders = [
        (festival, day + timedelta(days=lead))
        for day in covered
        for festival in festivals
        if lead and festival.welfare and falls_on(festival.rule, day + timedelta(days=lead))
    ]
    if not (recent or ahead or reminders):
        return []
    # Everyone reading one language gets the same digest: render and split it once.
    parts: dict[Lang, tuple[Part, ...]] = {}
    rows = []
    for telegram_id, lang, member_id in await cadres_and_admins(session, admins):
        if lang not in parts:
            text = _render(lang, recent, ahead, reminders, lead, after_days_off=len(covered) > 1)
            parts[lang] = tuple(Part(piece) for piece in split_html(text)) or (Part(text),)
        key = keys.digest(ctx.day, telegram_id)
        rows.append(Outgoing(key, OutKind.DIGEST, telegram_id, parts[lang], member_id=member_id))
    return rows
