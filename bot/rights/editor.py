"""Cadres writing the knowledge base: the one-message form an entry is edited in, and the
revisions that add, change, retire and restore entries. Telegram-free; never commits."""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rights.entries import Entry, EntryError, check
from bot.rights.library import KnowledgeBase
from storage import rights
from storage.models import KbRevision
from storage.statuses import KbAction

# The form's field names, Chinese first; a cadre may write either, with ： or :.
FIELDS = {
    "问": "questions",
    "q": "questions",
    "答": "answer",
    "a": "answer",
    "依据": "citations",
    "cite": "citations",
    "标签": "tags",
    "tags": "tags",
    "主题": "topic",
    "topic": "topic",
    "英文问": "questions_en",
    "qen": "questions_en",
    "英文答": "answer_en",
    "aen": "answer_en",
}
_FIELD_LINE = re.compile(
    r"^\s*("
    + "|".join(sorted(map(re.escape, FIELDS), key=len, reverse=True))
    + r")\s*[:：]\s*(.*)$",
    re.IGNORECASE,
)
NO_CITATION = frozenset({"无", "none", "-", "—"})
ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
ANSWER_MAX = 3000


def form(entry: Entry | None = None) -> str:
    """The entry as the form a cadre copies, changes and sends back (blank for a new one)."""
    if entry is None:
        return "问：\n问：\n答：\n依据：\n标签："
    lines = [f"问：{q}" for q in entry.questions]
    lines.append(f"答：{entry.answer}")
    lines.append("依据：" + ("；".join(entry.citations) if entry.citations else "无"))
    lines.append("标签：" + "、".join(entry.tags))
    lines.append(f"主题：{entry.topic}")
    lines += [f"英文问：{q}" for q in entry.questions_en]
    if entry.answer_en:
        lines.append(f"英文答：{entry.answer_en}")
    return "\n".join(lines)


def parse(text: str, *, entry_id: str, base: Entry | None = None) -> Entry:
    """Read a filled-in form. Raises EntryError naming what is missing or wrong."""
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        match = _FIELD_LINE.match(line)
        if match:
            current = FIELDS[match.group(1).lower()]
            values.setdefault(current, []).append(match.group(2).strip())
        elif current in ("answer", "answer_en"):
            values[current][-1] += "\n" + line.rstrip()
        elif line.strip():
            raise EntryError("kb_form_stray_line", line=line.strip()[:60])

    def one(name: str) -> str:
        return "\n".join(v for v in values.get(name, []) if v).strip()

    def many(name: str, separators: str) -> tuple[str, ...]:
        found = [p.strip() for v in values.get(name, []) for p in re.split(separators, v)]
        return tuple(dict.fromkeys(p for p in found if p))

    citations = many("citations", r"[；;\n]")
    if citations and citations[0].lower() in NO_CITATION:
        citations = ()
    elif "citations" not in values or not citations:
        raise EntryError("kb_needs_citation")
    questions = many("questions", r"\n")
    answer = one("answer")
    if len(answer) > ANSWER_MAX:
        raise EntryError("kb_answer_too_long", limit=str(ANSWER_MAX))
    entry = Entry(
        id=entry_id,
        topic=one("topic") or (questions[0] if questions else ""),
        questions=questions,
        answer=answer,
        citations=citations,
        tags=many("tags", r"[、，,\s]+"),
        questions_en=many("questions_en", r"\n"),
        answer_en=one("answer_en"),
        case_id=base.case_id if base else None,
    )
    check(entry, citation_required=False)
    return entry


def new_entry_id() -> str:
    return f"union-{secrets.token_hex(3)}"


async def save(
    session: AsyncSession,
    entry: Entry,
    *,
    action: KbAction,
    author_member_id: int | None,
    now: datetime,
    case_id: int | None = None,
) -> KbRevision:
    return await rights.add_revision(
        session,
        entry_id=entry.id,
        action=action,
        data=entry.to_data(),
        retired=entry.retired,
        author_member_id=author_member_id,
        case_id=case_id if case_id is not None else entry.case_id,
        at=now,
    )


async def set_retired(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    entry_id: str,
    retired: bool,
    author_member_id: int | None,
    now: datetime,
) -> KbRevision:
    """Retire an entry (it stops matching) or bring it back; both are revisions."""
    entry = await knowledge.find(session, entry_id)
    if entry is None:
        raise EntryError("kb_unknown_entry", id=entry_id)
    if entry.retired == retired:
        raise EntryError("kb_already_retired" if retired else "kb_not_retired", id=entry_id)
    return await save(
        session,
        replace(entry, retired=retired),
        action=KbAction.RETIRE if retired else KbAction.RESTORE,
        author_member_id=author_member_id,
        now=now,
    )
