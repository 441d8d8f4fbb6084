"""Case deadlines: reminders before an SLA runs out, one escalation to the chair when it
does, and erasing what linked a closed anonymous case to its reporter. Run by the minute tick."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.notify import handlers_of, member_lang, open_keyboard, tell_chairs, to_member
from bot.config import Config
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.strings import t
from storage import cases, outbox, rights
from storage.models import Case

ERASE_WINDOW = timedelta(days=2)


class Deadline(StrEnum):
    ACK = "ack"
    RESOLVE = "resolve"


MISSED: dict[Deadline, str] = {
    Deadline.ACK: "case_sla_missed_ack",
    Deadline.RESOLVE: "case_sla_missed_resolve",
}
SOON: dict[Deadline, str] = {
    Deadline.ACK: "case_sla_soon_ack",
    Deadline.RESOLVE: "case_sla_soon_resolve",
}


async def erase_anonymous_links(session: AsyncSession, *, now: datetime) -> None:
    """Delivered relays to the reporters of recently closed anonymous cases go: nothing in
    the database ties such a case to a person once it is closed."""
    for case in await cases.closed_anonymous_since(session, since=now - ERASE_WINDOW):
        assert case.id is not None
        await outbox.purge_delivered(
            session, key_prefix=keys.case_prefix(case.id), kind=OutKind.CASE_REPORTER.value
        )
        await rights.forget_asker(session, case_id=case.id)  # a rights question handed off


def _pending(case: Case) -> list[tuple[Deadline, datetime]]:
    """The deadlines still to meet: accepting it (until it is), and resolving it."""
    due = [(Deadline.RESOLVE, case.resolve_due)]
    return ([(Deadline.ACK, case.ack_due)] if case.acknowledged_at is None else []) + due


async def sla_tick(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Remind before a deadline, and escalate a missed one to the chair, each once."""
    await erase_anonymous_links(session, now=now)
    messages: list[Outgoing] = []
    warn = timedelta(hours=config.cases.remind_hours_before)
    for case in await cases.open_cases(session):
        assert case.id is not None
        for deadline, due in _pending(case):
            if now >= due:
                messages += await tell_chairs(
                    session,
                    case,
                    MISSED[deadline],
                    key=partial(keys.case_sla_missed, case.id, deadline.value),
                    note="",
                    config=config,
                )
            elif now >= due - warn:
                messages += await _remind_handlers(session, case, deadline, config)
    return await enqueue(session, messages, now=now)


async def _remind_handlers(
    session: AsyncSession, case: Case, deadline: Deadline, config: Config
) -> list[Outgoing]:
    assert case.id is not None
    return [
        to_member(
            keys.case_sla_reminder(case.id, deadline.value, cadre.id or 0),
            cadre,
            t(
                member_lang(cadre),
                SOON[deadline],
                id=case.id,
                category=config.cases.category_name(case.category, member_lang(cadre)),
            ),
            open_keyboard(case.id, member_lang(cadre)),
        )
        for cadre in await handlers_of(session, case, config)
    ]
