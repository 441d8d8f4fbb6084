"""Who is behind an update: their member row (reactivated once they write to the bot again),
and the people whose command menu is wider than a member's. Telegram-free; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.members.cadres import role_of
from bot.roles import Role, resolve_role
from bot.strings import Lang, normalise_lang
from storage import members
from storage.models import Member
from storage.statuses import StoredRole


async def member_of(session: AsyncSession, telegram_id: int) -> Member | None:
    return await members.get_by_telegram_id(session, telegram_id)


def standing(
    member: Member | None,
    *,
    telegram_id: int,
    telegram_lang: str | None,
    admins: frozenset[int],
    default: Lang,
) -> tuple[Role, Lang]:
    """The role and the language of whoever has this Telegram id — the chat's guard and the
    console both ask this, so the two never disagree: config admins always, otherwise the
    stored role of a registered member; a registered member's own language, otherwise the
    one Telegram reports."""
    registered = member is not None and member.registered_at is not None
    role = resolve_role(
        telegram_id=telegram_id,
        stored_role=member.role if member is not None else None,
        registered=registered,
        admins=admins,
    )
    if member is not None and registered:
        return role, normalise_lang(member.language, default)
    return role, normalise_lang(telegram_lang, default)


async def reactivate(session: AsyncSession, telegram_id: int, *, now: datetime) -> Member | None:
    """A member who blocked the bot once (so the outbox stopped writing to them) wrote to it
    again: they are reachable again."""
    member = await members.get_by_telegram_id(session, telegram_id)
    if member is not None and not member.active:
        await members.update(session, member, now=now, active=True, unreachable=None)
    return member


@dataclass(frozen=True)
class MenuHolder:
    """Someone whose private command menu is their role's, in their language."""

    telegram_id: int
    role: Role
    lang: Lang


async def menu_holders(
    session: AsyncSession, *, admins: frozenset[int], default: Lang
) -> list[MenuHolder]:
    """Every cadre and every admin, each with the role and language their menu is drawn in."""
    cadres = await members.with_role(session, roles=[StoredRole.CADRE])
    people = {m.telegram_id: m for m in cadres if m.telegram_id is not None}
    holders = []
    for telegram_id in sorted(set(people) | admins):
        member = people.get(telegram_id)
        role = role_of(member, admins) if member is not None else Role.ADMIN  # only admins left
        lang = normalise_lang(member.language if member else None, default)
        holders.append(MenuHolder(telegram_id, role, lang))
    return holders
