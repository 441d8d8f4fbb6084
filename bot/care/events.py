"""Life events (五必访): what can happen to a member, and telling the union. Only a wedding
or a birth is ever announced in a group, and only with the member's consent."""

from __future__ import annotations

import html
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.care.kinds import CareEvent, kind_name
from bot.cases.identity import Identity
from bot.cases.service import submit
from bot.config import Config
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.strings import Lang, t
from storage import groups
from storage.models import Case, Member
from storage.statuses import CaseKind

# The only events ever shared with a group (and only with consent).
ANNOUNCEMENTS: dict[CareEvent, str] = {
    CareEvent.WEDDING: "care_announce_wedding",
    CareEvent.BIRTH: "care_announce_birth",
}


def category_name(category: str, lang: Lang) -> str:
    """A case's category as people read it: a life event's is its kind's name."""
    return kind_name(category, lang) or category


def event_of(case: Case) -> CareEvent:
    """The kind of care a case is about (a hardship application has a category of its own)."""
    return CareEvent(case.category) if case.category in set(CareEvent) else CareEvent.HARDSHIP


async def report_event(
    session: AsyncSession,
    *,
    reporter: Member,
    event: CareEvent,
    subject: str,
    details: str,
    share: bool,
    now: datetime,
    config: Config,
) -> Case:
    """File the life event for the cadres; a wedding or a birth is announced if the member
    agreed (never an illness, a bereavement or a hardship)."""
    case = await submit(
        session,
        reporter=reporter,
        category=event.value,
        text=f"{html.escape(subject)}：{html.escape(details)}",  # a case's text is HTML
        attachments=[],
        identity=Identity.NAMED,
        now=now,
        config=config,
        kind=CaseKind.LIFE_EVENT,
    )
    if share and event in ANNOUNCEMENTS:
        await enqueue(session, await _announcements(session, case, event, subject, config), now=now)
    return case


async def _announcements(
    session: AsyncSession, case: Case, event: CareEvent, subject: str, config: Config
) -> list[Outgoing]:
    assert case.id is not None
    lang = config.union.default_language
    text = t(lang, ANNOUNCEMENTS[event], name=subject, union=config.union.name)
    return [
        Outgoing.text(
            keys.life_event_post(case.id, group.chat_id), OutKind.CARE, group.chat_id, text
        )
        for group in await groups.bound(session, departments=[case.department])
    ]
