"""What /birthday and /birthdays show: a member's own birthday setting, and the birthdays
coming up in a cadre's department (an admin's: every department). Telegram-free."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.greetings.birthday_dates import format_birthday
from bot.greetings.celebrations import celebrating_on
from bot.members.profiles import member_birthday
from bot.strings import Html, Lang, t
from storage.models import Member

UPCOMING_DAYS = 30
LIST_LIMIT = 150  # lines: one message stays under Telegram's length limit


def setting(member: Member, lang: Lang, *, time: str) -> Html:
    """A member's birthday as the bot keeps it, and what it does with it."""
    birthday = member_birthday(member)
    yes, no = t(lang, "word_yes"), t(lang, "word_no")
    return t(
        lang,
        "birthday_setting",
        birthday=format_birthday(birthday, lang) if birthday else t(lang, "word_not_given"),
        share=yes if member.share_birthday else no,
        show_age=no if member.hide_year else yes,
        time=time,
    )


async def upcoming(
    session: AsyncSession, *, today: date, departments: list[str] | None
) -> list[tuple[date, Member]]:
    """Whose birthday falls in the next UPCOMING_DAYS days, day by day."""
    found = []
    for offset in range(UPCOMING_DAYS):
        day = today + timedelta(days=offset)
        found += [(day, member) for member in await celebrating_on(session, day, departments)]
    return found


def upcoming_text(people: list[tuple[date, Member]], lang: Lang, scope: str) -> Html:
    if not people:
        return t(lang, "birthdays_none", scope=scope, days=UPCOMING_DAYS)
    lines = [
        t(
            lang,
            "birthdays_line",
            when=f"{day.month}-{day.day:02d}",
            department=member.department,
            name=member.name,
        )
        for day, member in people[:LIST_LIMIT]
    ]
    head = t(lang, "birthdays_title", scope=scope, days=UPCOMING_DAYS)
    return Html(head + "\n" + "\n".join(lines))
