"""Filing a case: its receipt code, its deadlines in working days, and telling the cadres.

Telegram-free. Grievances, suggestions, life events, hardship applications and rights
consultations are all filed here. An anonymous case never puts its reporter's identity into
anything a cadre sees; with no follow-up there is no link to the reporter at all.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.form import ReportDraft
from bot.cases.identity import Identity, follows_up, is_anonymous
from bot.cases.notify import active_cadres, member_lang, open_keyboard, to_member
from bot.config import Config
from bot.core.attachments import Attachment
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.greetings.celebrations import working
from bot.strings import Html, Lang, t
from storage import cases
from storage.models import Case, Member
from storage.statuses import CaseActor, CaseEntryAction, CaseKind

# Identity is exported with submit: other features (the rights hand-off) file cases too.
__all__ = ["Identity", "add_working_days", "department_size", "file_report", "submit"]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def add_working_days(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same local time `days` working days later (0: the end of that working day)."""
    local = start.astimezone(zone)
    day = local.date()
    if days == 0:
        while not working(day):
            day += timedelta(days=1)
        return datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(start.tzinfo)
    for _ in range(days):
        day += timedelta(days=1)
        while not working(day):
            day += timedelta(days=1)
    return datetime.combine(day, local.time(), tzinfo=zone).astimezone(start.tzinfo)


async def _new_code(session: AsyncSession) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if not await cases.code_taken(session, code):
            return code


async def submit(
    session: AsyncSession,
    *,
    reporter: Member,
    category: str,
    text: str,
    attachments: Sequence[Attachment],
    identity: Identity,
    now: datetime,
    config: Config,
    kind: CaseKind = CaseKind.GRIEVANCE,
) -> Case:
    """File a case, tell the cadres (never who an anonymous reporter is) and queue it."""
    sla = config.cases.sla_for(category)
    zone = config.union.zone
    case = await cases.add(
        session,
        code=await _new_code(session),
        kind=kind,
        category=category,
        department=reporter.department,
        text=text,
        attachments=[attachment.model_dump(mode="json") for attachment in attachments],
        anonymous=is_anonymous(identity),
        follow_up=follows_up(identity),
        reporter_member_id=reporter.id if follows_up(identity) else None,
        created_at=now,
        ack_due=add_working_days(now, sla.ack_days, zone),
        resolve_due=add_working_days(now, sla.resolve_days, zone),
    )
    assert case.id is not None
    entry = await cases.add_entry(
        session, case_id=case.id, actor=CaseActor.REPORTER, action=CaseEntryAction.SUBMITTED, at=now
    )
    assert entry.id is not None
    messages = [
        to_member(
            keys.case_to_member(case.id, entry.id, cadre.id or 0),
            cadre,
            _new_case_text(case, reporter, member_lang(cadre), config),
            open_keyboard(case.id, member_lang(cadre)),
        )
        for cadre in await active_cadres(session, config)
    ]
    if config.cases.cadres_chat:
        lang = config.union.default_language
        name = config.cases.category_name(category, lang)
        note = t(lang, "case_new_group", id=case.id, category=name)
        messages.append(
            Outgoing.text(
                keys.case_new_in_chat(case.id), OutKind.CASE, config.cases.cadres_chat, note
            )
        )
    await enqueue(session, messages, now=now)
    return case


def _new_case_text(case: Case, reporter: Member, lang: Lang, config: Config) -> Html:
    who = t(lang, "case_anonymous") if case.anonymous else reporter.name
    return t(
        lang,
        "case_new_cadre",
        id=case.id or 0,
        category=config.cases.category_name(case.category, lang),
        department=case.department,
        who=who,
        text=Html(case.text),
    )


async def department_size(session: AsyncSession, department: str) -> int:
    """How many registered members the department has (small ones are warned of)."""
    return await cases.department_size(session, department)


async def file_report(
    session: AsyncSession, *, reporter: Member, draft: ReportDraft, now: datetime, config: Config
) -> Case:
    """File what the /report or /suggest form collected."""
    return await submit(
        session,
        reporter=reporter,
        category=draft.category,
        text=draft.text,
        attachments=draft.attachments,
        identity=draft.identity,
        now=now,
        config=config,
        kind=draft.kind,
    )
