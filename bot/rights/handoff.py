"""「没解决，问工会」: a question the knowledge base did not settle becomes a consultation
case, answered by a cadre through the bot like any case. Telegram-free; never commits."""

from __future__ import annotations

import html
import re
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.service import Identity, submit
from bot.config import Config
from bot.rights.library import KnowledgeBase
from bot.strings import t
from storage import cases, rights
from storage.models import Case, KbQuestion, Member
from storage.statuses import CaseKind

KIND = CaseKind.CONSULTATION
DETAILS_MAX = 2000
_TAG = re.compile(r"<[^>]+>")


async def hand_off(
    session: AsyncSession,
    knowledge: KnowledgeBase,
    *,
    question: KbQuestion,
    reporter: Member,
    details: str,
    identity: Identity,
    now: datetime,
    config: Config,
) -> Case:
    """File the question (and what the member added) for the cadres; once per question."""
    lang = config.union.default_language
    parts = [html.escape(question.text)]
    if details.strip():
        parts.append(html.escape(details.strip()))
    if question.entry_id and (entry := await knowledge.find(session, question.entry_id)):
        parts.append(t(lang, "kb_case_bot_answered", title=entry.title))
    case = await submit(
        session,
        reporter=reporter,
        category=t(lang, "kb_case_category"),
        text="\n\n".join(parts),
        attachments=[],
        identity=identity,
        now=now,
        config=config,
        kind=KIND,
    )
    question.case_id = case.id
    question.details = details.strip()[:DETAILS_MAX]
    await rights.save(session, question)
    return case


def plain(text: str) -> str:
    """A cadre's reply as the knowledge base keeps it: plain text (it is escaped on display)."""
    return html.unescape(_TAG.sub("", text)).strip()


def asked_as(question: KbQuestion) -> list[str]:
    """How the member put the question, for the phrasings of a saved answer: their own
    words, not the title of an entry they pressed."""
    own = [" ".join(question.details.split())] if question.details else []
    return own + ([question.text] if question.via == "ask" else [])


async def cadre_answer(session: AsyncSession, case_id: int) -> str:
    """The cadre's latest written answer on a case: what would go into the knowledge base."""
    for entry in reversed(await cases.entries(session, case_id)):
        if entry.actor == "cadre" and entry.action in ("reply", "resolve") and entry.text:
            return plain(entry.text)
    return ""
