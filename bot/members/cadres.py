"""Appointing and removing cadres (every change audited), and the list admins see.
Telegram-free; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.members.callbacks import CadreAction, CadrePress
from bot.roles import Role, resolve_role
from bot.strings import Html, Lang, normalise_lang, t
from storage import members
from storage.models import Member
from storage.statuses import StoredRole

OTHER = {StoredRole.CADRE: StoredRole.MEMBER, StoredRole.MEMBER: StoredRole.CADRE}


@dataclass(frozen=True)
class Appointment:
    """What `/cadre add|remove` did: `member` None when no registered member has that handle."""

    member: Member | None
    changed: bool


async def cadres(session: AsyncSession) -> list[Member]:
    return await members.with_role(session, roles=[StoredRole.CADRE])


async def appoint(
    session: AsyncSession, *, handle: str, role: StoredRole, actor_telegram_id: int, now: datetime
) -> Appointment:
    """Give the member with this @username or id `role` (a cadre, or back to a member)."""
    member = await members.find_by_handle(session, handle=handle)
    if member is None or member.registered_at is None or member.id is None:
        return Appointment(None, False)
    changed = await members.change_role(
        session,
        member.id,
        expected=OTHER[role],
        role=role,
        actor_telegram_id=actor_telegram_id,
        now=now,
    )
    if changed:
        await _tell(session, member, role, now)
    return Appointment(member, changed)


async def dismiss(
    session: AsyncSession, *, member_id: int, actor_telegram_id: int, now: datetime
) -> Member | None:
    """Make a cadre a member again; None if they were not a cadre (any more: a second tap)."""
    changed = await members.change_role(
        session,
        member_id,
        expected=StoredRole.CADRE,
        role=StoredRole.MEMBER,
        actor_telegram_id=actor_telegram_id,
        now=now,
    )
    if not changed:
        return None
    member = await members.get(session, member_id)
    if member is not None:
        await _tell(session, member, StoredRole.MEMBER, now)
    return member


async def _tell(session: AsyncSession, member: Member, role: StoredRole, now: datetime) -> None:
    """The member hears of their new role (and /help shows them what it lets them do)."""
    if member.telegram_id is None or member.id is None:
        return
    key = "cadre_told_added" if role == StoredRole.CADRE else "cadre_told_removed"
    text = t(normalise_lang(member.language), key)
    message = Outgoing.text(
        keys.role_changed(member.id, role.value, now), OutKind.ROLE, member.telegram_id, text,
        member_id=member.id,
    )  # fmt: skip
    await enqueue(session, [message], now=now)


def role_of(member: Member, admins: frozenset[int]) -> Role:
    """The role a member's command menu is drawn for."""
    return resolve_role(
        telegram_id=member.telegram_id or 0,
        stored_role=member.role,
        registered=member.registered_at is not None,
        admins=admins,
    )


def listing(people: list[Member], lang: Lang) -> tuple[Html, Keyboard | None]:
    """The cadres, each with a button to remove them."""
    if not people:
        return t(lang, "cadre_none"), None
    lines = [t(lang, "cadre_line", name=m.name, department=m.department) for m in people]
    keyboard = Keyboard.column(
        [
            Button(
                t(lang, "btn_cadre_remove", name=m.name),
                CadrePress(action=CadreAction.REMOVE, member_id=m.id),
            )
            for m in people
            if m.id is not None
        ]
    )
    return Html(t(lang, "cadre_list") + "\n" + "\n".join(lines)), keyboard
