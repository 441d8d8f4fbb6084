"""The monthly open-board post in every bound group (opt-in: `[open] monthly_post`), pinned
where the bot may pin. Run by the minute tick from the configured day and time on; the
month is claimed in the job table in the same transaction as the posts are queued, so with
several instances, restarts and reruns each month posts exactly once."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.delivery import keys
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.openboard.board import gather
from bot.openboard.views import board_text
from bot.strings import Html, t
from storage import groups, jobs

JOB = "open_board"


def due_month(now: datetime, config: Config) -> date | None:
    """The month whose post is due at `now` (its first day), or None before the configured
    day and time (or when the post is switched off). A bot down on the day posts later the
    same month, never for a month gone by."""
    if not config.open.monthly_post:
        return None
    local = now.astimezone(config.union.zone)
    due = local.replace(
        day=config.open.post_day,
        hour=config.open.post_at.hour,
        minute=config.open.post_at.minute,
        second=0,
        microsecond=0,
    )
    return local.date().replace(day=1) if local >= due else None


async def monthly_post(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Queue this month's board to every bound group, once; returns how many were queued."""
    month = due_month(now, config)
    if month is None or not await jobs.claim_run(session, job=JOB, day=month, now=now):
        return 0
    lang = config.union.default_language
    board = await gather(session, now=now, config=config)
    text = board_text(
        board,
        lang,
        union=config.union.name,
        zone=config.union.zone,
        now=now,
        least=config.open.min_count,
        category=partial(config.cases.category_name, lang=lang),
    )
    text = Html(text + "\n\n" + t(lang, "open_post_footer"))
    posts = [
        dataclasses.replace(
            Outgoing.text(
                keys.open_board_post(month, g.chat_id), OutKind.OPEN_BOARD, g.chat_id, text
            ),
            pin=True,
        )
        for g in await groups.bound(session)
    ]
    return await enqueue(session, posts, now=now)
