"""The roster as cadres browse it in the console: a filtered page of members, one member's
card (what the union may see — never anything about the cases they reported), and the
roster as a spreadsheet. Telegram-free; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.cells import moment_cell, xlsx
from bot.core.states import Refused
from bot.core.telegram_html import plain
from bot.greetings.birthday_dates import format_birthday
from bot.members.cadres import role_of
from bot.members.profiles import member_birthday
from bot.roles import Role
from bot.strings import Lang, t
from storage import members
from storage.models import Member
from storage.statuses import StoredRole

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000
ROLE_NAMES = {Role.GUEST: "guest", Role.MEMBER: "member", Role.CADRE: "cadre", Role.ADMIN: "admin"}
ROLE_LABELS = {
    Role.GUEST: "console_role_guest",
    Role.MEMBER: "console_role_member",
    Role.CADRE: "console_role_cadre",
    Role.ADMIN: "console_role_admin",
}


@dataclass(frozen=True)
class RosterFilter:
    text: str = ""
    department: str | None = None
    role: str = ""  # "", "member", "cadre" or "admin"
    registered: bool | None = None


@dataclass(frozen=True)
class RosterPage:
    people: list[Member]
    total: int
    page: int
    pages: int


async def find(
    session: AsyncSession,
    found_by: RosterFilter,
    *,
    admins: frozenset[int],
    page: int = 1,
    size: int = PAGE_SIZE,
) -> RosterPage:
    """One page of the roster matching the filter (admins are those named in config)."""
    roles: list[str] | None = None
    ids: list[int] | None = None
    if found_by.role == "admin":
        ids = sorted(admins)
    elif found_by.role == "cadre":
        roles = [StoredRole.CADRE]
    elif found_by.role == "member":
        roles = [StoredRole.MEMBER]
    page = max(1, page)
    people, total = await members.search(
        session,
        text=found_by.text,
        department=found_by.department,
        roles=roles,
        telegram_ids=ids,
        registered=found_by.registered,
        offset=(page - 1) * size,
        limit=size,
    )
    if found_by.role == "member":  # an admin is an admin whatever role is stored
        people = [m for m in people if m.telegram_id not in admins]
    return RosterPage(people, total, page, max(1, -(-total // size)))


def role_name(member: Member, admins: frozenset[int]) -> str:
    """member, cadre or admin — or guest for a roster row nobody has claimed yet."""
    return ROLE_NAMES[role_of(member, admins)]


async def card(session: AsyncSession, member_id: int) -> Member:
    """One member, for their card (Refused if they are gone)."""
    member = await members.get(session, member_id)
    if member is None:
        raise Refused("console_member_unknown")
    return member


def birthday_text(member: Member, lang: Lang) -> str:
    """The birthday as the member's card shows it: the year only where they let it show."""
    birthday = member_birthday(member)
    if birthday is None:
        return ""
    return format_birthday(birthday, lang, show_year=not member.hide_year)


EXPORT_COLUMNS = ("col_name", "col_department", "col_role", "col_telegram", "col_phone",
                  "col_registered", "col_registered_at")  # fmt: skip


def export_xlsx(
    people: list[Member], *, admins: frozenset[int], zone: ZoneInfo, lang: Lang
) -> bytes:
    """The roster as a spreadsheet in the reader's language (role, registered or not); any
    cell that looks like a formula is made inert."""
    yes, no = plain(t(lang, "word_yes")), plain(t(lang, "word_no"))

    def row(member: Member) -> list[object]:
        return [
            member.name,
            member.department,
            plain(t(lang, ROLE_LABELS[role_of(member, admins)])),
            f"@{member.username}" if member.username else "",
            member.phone or "",
            yes if member.registered_at else no,
            moment_cell(member.registered_at, zone),
        ]

    headers = [plain(t(lang, key)) for key in EXPORT_COLUMNS]
    return xlsx(plain(t(lang, "sheet_members")), headers, (row(m) for m in people))


async def roster_counts(session: AsyncSession) -> dict[str, tuple[int, int]]:
    """Per department: (people on the roster, of whom registered)."""
    return await members.roster_by_department(session)
