"""Workshop groups: the bot's own membership, a group's move to a supergroup, and binding a
group to the department it serves. Telegram-free; never commits."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.members.callbacks import BindPress, GroupAction
from bot.strings import Html, Lang, t
from storage import groups
from storage.models import GroupChat

JOINED = "member"  # the bot's status in a group it was just added to


async def record_status(
    session: AsyncSession, *, chat_id: int, title: str, bot_status: str, now: datetime
) -> None:
    """The bot joined, was promoted in, or left (or was removed from) a group."""
    await groups.record(session, chat_id=chat_id, title=title, bot_status=bot_status, now=now)


async def migrate(
    session: AsyncSession, *, old_chat_id: int, new_chat_id: int, now: datetime
) -> bool:
    """A group became a supergroup: its binding moves to the new id (once)."""
    return await groups.migrate(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id, now=now)


async def bind(
    session: AsyncSession,
    *,
    chat_id: int,
    title: str,
    department: str | None,
    by: int,
    now: datetime,
) -> None:
    """Bind a group to a department (None: unbind), recording the group if it is new."""
    group = await groups.get(session, chat_id)
    if group is None:
        group = await groups.record(
            session, chat_id=chat_id, title=title, bot_status=JOINED, now=now
        )
    await groups.bind(session, group, department=department, by=by, now=now)


async def bound(session: AsyncSession) -> list[GroupChat]:
    return await groups.bound(session)


def department_keyboard(departments: list[str]) -> Keyboard:
    return Keyboard.column(
        [
            Button(name, BindPress(action=GroupAction.BIND, index=index))
            for index, name in enumerate(departments)
        ]
    )


def listing(chats: list[GroupChat], lang: Lang) -> Html:
    if not chats:
        return t(lang, "groups_none")
    lines = [t(lang, "groups_line", title=g.title, department=g.department or "") for g in chats]
    return Html(t(lang, "groups_title") + "\n" + "\n".join(lines))
