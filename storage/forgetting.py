"""Erasing a member everywhere (/forget), driven by the tables' metadata: every column that
holds a member's id (a foreign key to member.id, or a column named member_id or *_member_id)
or a Telegram id (a BIGINT column, or one named like telegram_id, user_id, chat_id,
created_by) is found in SQLModel's metadata, so a table added later is covered without a
change here. Never commits.

What happens to a row that points at the member is decided per column:
- a row about them (their sign-up, their confirmation, their conversation, their login
  link) is deleted;
- a row the union keeps (a notice they wrote, a vote they opened, an appointment they made)
  loses the link: the column becomes NULL, or ERASED_ID where it cannot be empty;
- a few columns are treated explicitly (OVERRIDES, each with its reason).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import BigInteger, Column, String, Table, cast, delete, or_, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

import storage.models  # noqa: F401  (registers every table in the metadata)
from storage.models import Case, Member, Outbox
from storage.retention import SETTLED, anonymise_cases

# What a not-null Telegram-id column holds once the person it named is forgotten.
ERASED_ID = 0
TELEGRAM_NAMES = frozenset(
    {"telegram_id", "user_id", "chat_id", "created_by", "bound_by", "approved_by"}
)
# A row whose Telegram id column has one of these names belongs to that person (a login
# link, a conversation); other names say who did something (an author, an actor).
OWNER_NAMES = frozenset({"telegram_id", "user_id"})


class Act(StrEnum):
    DELETE = "delete"  # the row is about them: it goes
    UNLINK = "unlink"  # the row stays: the column is emptied (NULL, or ERASED_ID)
    CASES = "cases"  # their cases stay for the union, anonymised (storage.retention)
    NONE = "none"  # the column never holds a person's id


# Columns whose treatment the default rule would get wrong, and why.
OVERRIDES: dict[tuple[str, str], tuple[Act, str]] = {
    ("outbox", "member_id"): (Act.DELETE, "a message to or about them; its text may name them"),
    ("outbox", "chat_id"): (Act.DELETE, "a message to their private chat"),
    ("kb_question", "member_id"): (
        Act.DELETE,
        "what they asked is theirs; a question the union took up lives on in its case",
    ),
    ("case", "reporter_member_id"): (
        Act.CASES,
        "the union keeps the cases it handled, with their words and reporter erased",
    ),
    ("group_chat", "chat_id"): (Act.NONE, "a group's id, never a person's"),
    ("member", "telegram_id"): (Act.NONE, "the member row itself is deleted last"),
}


@dataclass(frozen=True)
class Link:
    """A column that may point at a member: by member id or by Telegram id."""

    table: Table
    column: Column[object]
    by_telegram_id: bool
    act: Act


def _holds_member_id(column: Column[object]) -> bool:
    if any(key.target_fullname == "member.id" for key in column.foreign_keys):
        return True
    return column.name == "member_id" or column.name.endswith("_member_id")


def _holds_telegram_id(column: Column[object]) -> bool:
    name = column.name
    return (
        isinstance(column.type, BigInteger)
        or name in TELEGRAM_NAMES
        or name.endswith("_telegram_id")
    )


def _default_act(column: Column[object]) -> Act:
    if column.primary_key or column.name in OWNER_NAMES:
        return Act.DELETE
    cascade = any(key.ondelete == "CASCADE" for key in column.foreign_keys)
    if cascade or (not column.nullable and _holds_member_id(column)):
        return Act.DELETE
    return Act.UNLINK


def links() -> list[Link]:
    """Every column in the metadata that may hold a member's id or Telegram id."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            by_member = _holds_member_id(column)
            by_telegram = not by_member and _holds_telegram_id(column)
            if not (by_member or by_telegram) or (table.name, column.name) == ("member", "id"):
                continue
            act, _ = OVERRIDES.get((table.name, column.name), (_default_act(column), ""))
            found.append(Link(table, column, by_telegram, act))
    return found


async def erase_member(session: AsyncSession, *, telegram_id: int) -> bool:
    """Erase everything kept about the member with this Telegram id; False if none."""
    member = (await session.exec(select(Member).where(Member.telegram_id == telegram_id))).first()
    if member is None or member.id is None:
        return False
    ids = {False: member.id, True: telegram_id}
    found = links()
    if any(link.act == Act.CASES for link in found):
        await _anonymise_reported(session, member.id)
    for link in found:
        value = ids[link.by_telegram_id]
        if link.act == Act.DELETE:
            await session.exec(delete(link.table).where(link.column == value))
        elif link.act == Act.UNLINK:
            empty = None if link.column.nullable else ERASED_ID
            await session.exec(
                update(link.table).where(link.column == value).values({link.column.name: empty})
            )
    await _scrub_sent_messages(session, member.name)
    await session.exec(delete(Member).where(col(Member.id) == member.id))
    return True


async def _anonymise_reported(session: AsyncSession, member_id: int) -> None:
    reported = await session.exec(select(Case.id).where(Case.reporter_member_id == member_id))
    await anonymise_cases(session, [case_id for case_id in reported.all() if case_id is not None])


async def _scrub_sent_messages(session: AsyncSession, name: str) -> None:
    """Messages already sent to others that named them (a birthday in a group, a digest)
    go too: the outbox is a record of what was sent, not the union's memory."""
    if len(name) < 2:
        return
    text = cast(col(Outbox.payload), String)
    escaped = json.dumps(name)[1:-1]  # how a JSON column may store it
    await session.exec(
        delete(Outbox).where(
            col(Outbox.status).in_(SETTLED),
            or_(text.contains(name, autoescape=True), text.contains(escaped, autoescape=True)),
        )
    )
