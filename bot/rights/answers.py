"""What a member is told when they ask, by the search's verdict: the answer with its law and
related questions (ANSWER); which of two entries they mean (AMBIGUOUS); the near matches and
the union (UNSURE); or that it is not a labour-rights question and what the bot does instead
(OUT_OF_SCOPE). Every question is recorded for /kbstats. Telegram-free; never commits."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rights.entries import Entry
from bot.rights.library import KnowledgeBase
from bot.rights.search import RELATED_SCORE, Index, Result
from bot.rights.verdict import Verdict
from bot.rights.views import (
    Reply,
    answer_keyboard,
    answer_text,
    go,
    not_rights,
    not_sure,
    which_one,
)
from bot.rights.views import title as title_in
from bot.strings import Html, Lang, t
from storage import rights
from storage.models import KbQuestion
from storage.statuses import KbVia

QUESTION_MAX = 2000  # what is kept of a question; the rest of a very long message is dropped
SEARCH_MAX = 300  # a question is searched by its start; pasted essays do not slow the bot
NEAR_MATCHES = 3  # at most this many near matches offered when the search is not sure
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]{2,}")

__all__ = ["Reply", "answer_language", "ask", "kept", "open_entry", "own_question", "pick", "rate"]


def kept(text: str) -> str:
    """What is kept of a question: a very long one is cut, and shows it was (…) to the cadres
    it may be handed to."""
    text = text.strip()
    return text if len(text) <= QUESTION_MAX else text[: QUESTION_MAX - 1] + "…"


def answer_language(text: str, lang: Lang) -> Lang:
    """English for a question written in English, whatever the member's setting."""
    return "en" if lang == "en" or (_LATIN.search(text) and not _HAN.search(text)) else "zh"


def title(entry: Entry, lang: Lang) -> str:
    english = entry.questions_en[0] if entry.questions_en else ""
    return title_in(entry.title, english, lang)


def render(entry: Entry, lang: Lang, question_id: int, related: list[Entry]) -> Reply:
    """The answer, laid out for a phone, with its rating, related and hand-off buttons."""
    english = lang == "en" and bool(entry.answer_en)
    body = answer_text(
        title(entry, lang), entry.answer_en if english else entry.answer, entry.citations, lang
    )
    if lang == "en" and not english:
        body = Html(t(lang, "kb_only_chinese") + "\n\n" + body)
    buttons = [go(other.id, title(other, lang), lang) for other in related]
    return Reply(body, answer_keyboard(question_id, lang, buttons), answer=True)


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
        text=kept(text),
        language=lang,
        via=KbVia.OFF_TOPIC if result.verdict is Verdict.OUT_OF_SCOPE else KbVia.ASK,
        entry_id=best.entry.id if best else None,
        score=round(best.score, 3) if best else 0.0,
        confident=result.confident,
        at=now,
    )
    assert question.id is not None
    return reply_to(index, result, question.id, lang)


def reply_to(index: Index, result: Result, question_id: int, lang: Lang) -> Reply:
    """The reply the verdict calls for."""
    best = result.best
    if result.verdict is Verdict.ANSWER and best is not None:
        return render(best.entry, lang, question_id, index.related(best.entry))
    if result.verdict is Verdict.AMBIGUOUS:
        options = [(e.id, title(e, lang)) for e in result.candidates]
        return which_one(question_id, lang, options)
    if result.verdict is Verdict.UNSURE:
        near = [h.entry for h in result.hits[:NEAR_MATCHES] if h.score >= RELATED_SCORE]
        return not_sure(question_id, lang, [(e.id, title(e, lang)) for e in near])
    return not_rights(lang)


async def pick(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    question_id: int,
    member_id: int | None,
    entry_id: str,
    lang: Lang,
) -> Reply | str:
    """The entry the member meant for their question: its answer, and the question now
    counts as answered by it. A catalogue key instead if it is not theirs or gone."""
    question = await own_question(session, question_id, member_id)
    if question is None or question.id is None:
        return "kb_not_yours"
    index = await knowledge.index(session)
    entry = index.by_id.get(entry_id)
    if entry is None:
        return "kb_entry_gone"
    question.entry_id = entry.id
    question.confident = True
    await rights.save(session, question)
    return render(entry, lang, question.id, index.related(entry))


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
