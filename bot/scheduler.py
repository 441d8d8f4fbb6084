"""The minute tick: releases due scheduled notices and reminders (more jobs join it later).

Called by PTB's JobQueue every minute and right after a cadre sends a notice "now"; tests
call it directly with an injected clock.
"""

from __future__ import annotations

import logging

from bot.deps import Deps
from bot.notices import tick as notices_tick

log = logging.getLogger(__name__)


async def minute_tick(deps: Deps) -> int:
    """Run every due job once; returns how many messages were queued."""
    union = deps.config.union
    async with deps.db.begin() as session:
        queued = await notices_tick(
            session,
            now=deps.clock.now(),
            zone=union.zone,
            union=union.name,
            group_lang=union.default_language,
            policy=deps.notice_policy,
        )
    if queued:
        log.info("minute tick queued %d messages", queued)
        deps.delivery.wake()
    return queued
