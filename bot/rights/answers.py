"""What a member is told when they ask: the answer with its law and the next steps, related
questions, and the buttons to rate it or take it to the union. Telegram-free."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Button, Keyboard
from bot.rights.callbacks import HandoffPress, HelpfulPress, RelatedPress
from bot.rights.entries import Entry
from bot.rights.library import KnowledgeBase
from bot.rights.search import RELATED_SCORE
from bot.strings import Html, Lang, t
from storage import rights
from storage.models import KbQuestion
from storage.statuses import KbVia

QUESTION_MAX = 2000  # what is kept of a question; the rest of a very long message is dropped
SEARCH_MAX = 300  # a question is searched by its start; pasted essays do not slow the bot
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Reply:
    text: Html
    keyboard: Keyboard


def answer_language(text: str, lang: Lang) -> Lang:
    """English for a question written in English, whatever the member's setting."""
    return "en" if lang == "en" or (_LATIN.search(text) and not _HAN.search(text)) else "zh"


def title(entry: Entry, lang: Lang) -> str:
    return entry.questions_en[0] if lang == "en" and entry.questions_en else entry.title


def render(entry: Entry, lang: Lang, question_id: int, related: list[Entry]) -> Reply:
    english = lang == "en" and bool(entry.answer_en)
    parts = [
        t(lang, "kb_answer_title", title=title(entry, lang)),
        html.escape(entry.answer_en if english else entry.answer),
    ]
    if entry.citations:
        parts.append(t(lang, "kb_citations", citations="；".join(entry.citations)))
    else:
        parts.append(t(lang, "kb_cadre_answer"))
    parts.append(t(lang, "kb_help_routes"))
    if lang == "en" and not english:
        parts.insert(0, t(lang, "kb_only_chinese"))
    rows = [
        [
            Button(t(lang, "btn_kb_helpful"), HelpfulPress(question_id=question_id, helpful=True)),
            Button(
                t(lang, "btn_kb_not_helpful"), HelpfulPress(question_id=question_id, helpful=False)
            ),
        ]
    ]
    rows += [[go(other, lang)] for other in related]
    rows.append([handoff(question_id, lang)])
    return Reply(Html("\n\n".join(parts)), Keyboard.of(rows))


async def ask(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    member_id: int | None,
    text: str,
    lang: Lang,
    now: datetime,
) -> Reply | None:
    """Answer a question in the member's words; None if it has no words to search by (a
    greeting, an emoji), so the caller can say what the bot does instead."""
    index = await knowledge.index(session)
    lang = answer_language(text, lang)
    result = index.search(text[:SEARCH_MAX])
    if not result.terms:
        return None
    best = result.best
    question = await rights.add_question(
        session,
        member_id=member_id,
        text=text.strip()[:QUESTION_MAX],
        language=lang,
        via=KbVia.ASK,
        entry_id=best.entry.id if best else None,
        score=round(best.score, 3) if best else 0.0,
        confident=result.confident,
        at=now,
    )
    assert question.id is not None
    if best is not None and result.confident:
        return render(best.entry, lang, question.id, index.related(best.entry))
    maybe = [hit.entry for hit in result.hits[:3] if hit.score >= RELATED_SCORE]
    lines = [t(lang, "kb_not_sure")]
    if maybe:
        lines.append(t(lang, "kb_maybe"))
    rows = [[go(e, lang)] for e in maybe] + [[handoff(question.id, lang)]]
    return Reply(Html("\n\n".join(lines)), Keyboard.of(rows))


def go(entry: Entry, lang: Lang) -> Button:
    """A related question's button; it remembers English, so the answer stays in it."""
    press = RelatedPress(entry_id=entry.id, english=lang == "en")
    return Button("❓ " + title(entry, lang), press)


def handoff(question_id: int, lang: Lang) -> Button:
    return Button(t(lang, "btn_kb_handoff"), HandoffPress(question_id=question_id))


async def open_entry(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    member_id: int | None,
    entry_id: str,
    lang: Lang,
    now: datetime,
) -> Reply | None:
    """A related question the member pressed; None if the entry was retired meanwhile."""
    index = await knowledge.index(session)
    entry = index.by_id.get(entry_id)
    if entry is None:
        return None
    question = await rights.add_question(
        session,
        member_id=member_id,
        text=entry.title,
        language=lang,
        via=KbVia.RELATED,
        entry_id=entry.id,
        score=0.0,
        confident=True,
        at=now,
    )
    assert question.id is not None
    return render(entry, lang, question.id, index.related(entry))


async def own_question(
    session: AsyncSession, question_id: int, member_id: int | None
) -> KbQuestion | None:
    """The question, if it is this member's: nobody rates or forwards another's question."""
    question = await rights.get_question(session, question_id)
    if question is None or member_id is None or question.member_id != member_id:
        return None
    return question


async def rate(
    session: AsyncSession, *, question_id: int, member_id: int | None, helpful: bool
) -> str:
    """Record whether the answer helped (a second press changes it); the reply's key."""
    question = await own_question(session, question_id, member_id)
    if question is None:
        return "kb_not_yours"
    question.helpful = helpful
    await rights.save(session, question)
    return "kb_thanks_helpful" if helpful else "kb_thanks_not_helpful"
