"""/kbstats: what members ask most, what found no good answer, and which answers help."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rights.library import KnowledgeBase
from bot.strings import Html, Lang, t
from storage import rights

WINDOW_DAYS = 30
LIST_LIMIT = 10
QUESTION_PREVIEW = 60


async def report(
    session: AsyncSession, knowledge: KnowledgeBase, *, lang: Lang, now: datetime
) -> Html:
    since = now - timedelta(days=WINDOW_DAYS)
    titles = {e.id: e.title for e in await knowledge.all_entries(session)}
    asked = await rights.most_asked(session, since=since, limit=LIST_LIMIT)
    gaps = await rights.unanswered(session, since=since, limit=LIST_LIMIT)
    rated = await rights.helpfulness(session, since=since)
    lines = [t(lang, "kbstats_title", days=WINDOW_DAYS)]
    lines.append(t(lang, "kbstats_asked"))
    lines += [
        t(lang, "kbstats_asked_line", rank=i, title=titles.get(entry_id, entry_id), count=n)
        for i, (entry_id, n) in enumerate(asked, 1)
    ] or [t(lang, "kbstats_none")]
    lines.append(t(lang, "kbstats_gaps"))
    lines += [t(lang, "kbstats_gap_line", text=_preview(text), count=n) for text, n in gaps] or [
        t(lang, "kbstats_none")
    ]
    lines.append(t(lang, "kbstats_rated"))
    lines += [
        t(lang, "kbstats_rated_line", title=titles.get(entry_id, entry_id), yes=yes, no=no)
        for entry_id, yes, no in rated
    ] or [t(lang, "kbstats_none")]
    return Html("\n".join(lines))


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUESTION_PREVIEW else flat[: QUESTION_PREVIEW - 1] + "…"
