"""What /kb shows cadres: the entries, a search, one entry with its form, and its history.
Telegram-free; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rights import editor
from bot.rights.entries import Entry
from bot.rights.library import KnowledgeBase
from bot.strings import Html, Lang, t
from storage import members, rights
from storage.models import KbRevision, Member
from storage.statuses import KbAction

FIND_LIMIT = 8
ACTION_LABELS = {
    KbAction.ADD: "kb_action_add",
    KbAction.EDIT: "kb_action_edit",
    KbAction.RETIRE: "kb_action_retire",
    KbAction.RESTORE: "kb_action_restore",
}


@dataclass(frozen=True)
class EntryRecord:
    """An entry as in force, every revision of it, and who wrote each."""

    entry: Entry
    revisions: list[KbRevision]
    authors: dict[int, Member]


def line(entry: Entry, lang: Lang) -> str:
    key = "kb_line_retired" if entry.retired else "kb_line"
    return t(lang, key, id=entry.id, title=entry.title)


def listing(entries: list[Entry], lang: Lang) -> Html:
    head = t(lang, "kb_list_title", count=sum(not e.retired for e in entries))
    return Html("\n".join([head, *(line(e, lang) for e in entries)]))


async def find(session: AsyncSession, knowledge: KnowledgeBase, text: str, lang: Lang) -> Html:
    hits = (await knowledge.index(session)).search(text, limit=FIND_LIMIT).hits
    if not hits:
        return t(lang, "kb_find_none")
    return Html("\n".join(line(hit.entry, lang) for hit in hits))


async def record(
    session: AsyncSession, knowledge: KnowledgeBase, entry_id: str
) -> EntryRecord | None:
    entry = await knowledge.find(session, entry_id)
    if entry is None:
        return None
    revisions = await rights.history(session, entry_id)
    authors = {}
    for revision in revisions:
        author_id = revision.author_member_id
        if author_id is not None and author_id not in authors:
            author = await members.get(session, author_id)
            if author is not None:
                authors[author_id] = author
    return EntryRecord(entry, revisions, authors)


def shown(found: EntryRecord, lang: Lang) -> Html:
    entry = found.entry
    status = t(lang, "kb_status_retired" if entry.retired else "kb_status_live")
    head = t(lang, "kb_show", id=entry.id, status=status, edits=len(found.revisions))
    return Html(head + "\n" + t(lang, "kb_form", form=editor.form(entry)))


def history(found: EntryRecord, lang: Lang, zone: ZoneInfo) -> Html:
    lines = [t(lang, "kb_history_title", id=found.entry.id)]
    for revision in found.revisions:
        author = found.authors.get(revision.author_member_id or 0)
        lines.append(
            t(
                lang,
                "kb_history_line",
                at=revision.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                action=t(lang, ACTION_LABELS[revision.action]),
                who=author.name if author else "—",
            )
        )
    if not found.revisions:
        lines.append(t(lang, "kb_history_shipped"))
    return Html("\n".join(lines))
