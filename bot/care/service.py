"""Hardship aid (困难帮扶): an application with its document checklist, filed as a case only
the union committee sees, and the yearly reminder to re-check each approved one.

Telegram-free; never commits. (Life events are in bot.care.events, visits in bot.care.visits.)
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.identity import Identity
from bot.cases.notify import active_cadres, member_lang, open_keyboard, to_member
from bot.cases.service import submit
from bot.config import Config
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, enqueue
from bot.strings import Lang, t
from storage import cases
from storage.models import Case, Member
from storage.statuses import CaseKind, CaseStatus


def documents_ready(documents: list[str], ticked: list[int], lang: Lang) -> str:
    """The ticked documents by name (or 「暂无」 when none is ready)."""
    names = [documents[i] for i in ticked if 0 <= i < len(documents)]
    return "、".join(names) or t(lang, "word_nobody")


async def apply(
    session: AsyncSession,
    *,
    reporter: Member,
    details: str,
    ticked: list[int],
    lang: Lang,
    now: datetime,
    config: Config,
) -> Case:
    """File a hardship application (named: the committee must know whom to help)."""
    ready = documents_ready(config.care.hardship_documents, ticked, lang)
    text = html.escape(details) + "\n" + t(lang, "hardship_ready", docs=ready)
    return await submit(
        session,
        reporter=reporter,
        category=t(lang, "hardship_category"),
        text=text,
        attachments=[],
        identity=Identity.NAMED,
        now=now,
        config=config,
        kind=CaseKind.HARDSHIP,
    )


async def recheck_reminders(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """A yearly reminder to re-check each approved hardship aid (once a year each)."""
    period = timedelta(days=config.care.recheck_days)
    messages: list[Outgoing] = []
    approved = await cases.of_kind(session, kind=CaseKind.HARDSHIP, status=CaseStatus.APPROVED)
    for case in approved:
        if case.id is None or case.resolved_at is None or now < case.resolved_at + period:
            continue
        round_number = int((now - case.resolved_at) / period)
        messages += [
            to_member(
                keys.hardship_recheck(case.id, round_number, cadre.id or 0),
                cadre,
                t(member_lang(cadre), "care_recheck", id=case.id),
                open_keyboard(case.id, member_lang(cadre)),
            )
            for cadre in await active_cadres(session, config)
        ]
    return await enqueue(session, messages, now=now)
