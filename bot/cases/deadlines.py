"""Case deadlines: reminders before an SLA runs out, one escalation to the chair when it
does, and erasing what linked a closed anonymous case to its reporter. Run by the minute tick."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.service import (
    REPORTER_RELAY,
    active_cadres,
    member_lang,
    member_message,
    open_button,
    tell_chairs,
)
from bot.config import Config
from bot.strings import t
from storage import cases, outbox, rights
from storage.models import Case

ERASE_WINDOW = timedelta(days=2)


async def erase_anonymous_links(session: AsyncSession, *, now: datetime) -> None:
    """Delivered relays to the reporters of recently closed anonymous cases go: nothing in
    the database ties such a case to a person once it is closed."""
    for case in await cases.closed_anonymous_since(session, since=now - ERASE_WINDOW):
        await outbox.purge_delivered(session, key_prefix=f"case:{case.id}:", kind=REPORTER_RELAY)
        assert case.id is not None
        await rights.forget_asker(session, case_id=case.id)  # a rights question handed off


async def sla_tick(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Remind before a deadline, and escalate a missed one to the chair, each once."""
    await erase_anonymous_links(session, now=now)
    rows: list[dict[str, Any]] = []
    warn = timedelta(hours=config.cases.remind_hours_before)
    for case in await cases.open_cases(session):
        assert case.id is not None
        checks = [
            ("ack", case.ack_due, case.acknowledged_at is None),
            ("resolve", case.resolve_due, True),
        ]
        for kind, due, pending in checks:
            if not pending:
                continue
            if now >= due:
                rows += await tell_chairs(
                    session,
                    case,
                    f"case:{case.id}:sla:{kind}:missed",
                    f"case_sla_missed_{kind}",
                    note="",
                    config=config,
                )
            elif now >= due - warn:
                rows += await _remind_assignee(session, case, kind, config)
    return await outbox.enqueue(session, rows, now=now)


async def _remind_assignee(
    session: AsyncSession, case: Case, kind: str, config: Config
) -> list[dict[str, Any]]:
    targets = await active_cadres(session, config)
    if case.assignee_member_id is not None:
        targets = [m for m in targets if m.id == case.assignee_member_id] or targets
    return [
        member_message(
            f"case:{case.id}:sla:{kind}:remind:{m.id}",
            m,
            t(member_lang(m), f"case_sla_soon_{kind}", id=case.id or 0, category=case.category),
            open_button(case),
        )
        for m in targets
    ]
