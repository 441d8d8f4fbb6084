"""Live counts (「已确认 37/52」, 「已报名 12/20」, 「附议 8 人」) under messages already sent to
groups: one coalescing edit per message, only where the count changed, at most once per
`[delivery] live_count_seconds` (well inside a group's 20-messages-a-minute budget)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.keyboard import Keyboard
from bot.delivery import keys
from bot.delivery.outgoing import OutKind
from storage import outbox
from storage.models import Outbox


@dataclass(frozen=True)
class LiveText:
    """What a message should now say; `caption` when it is a photo's or a file's caption."""

    text: str
    markup: Keyboard | None = None
    caption: bool = False


Render = Callable[[Outbox], Awaitable[LiveText | None]]


async def group_posts(
    session: AsyncSession, *, ref_id: int, kind: OutKind, chats: Collection[int] | None = None
) -> list[Outbox]:
    """The messages of one notice, activity or suggestion queued to groups (and not given
    up on), optionally only those in the given chats."""
    rows = await outbox.for_ref(session, ref_id=ref_id, kinds=[kind.value], groups_only=True)
    return [
        row
        for row in rows
        if row.status not in (outbox.FAILED, outbox.INACTIVE, outbox.CANCELLED)
        and (chats is None or row.chat_id in chats)
    ]


async def refresh(
    session: AsyncSession,
    posts: list[Outbox],
    render: Render,
    *,
    now: datetime,
    interval: timedelta,
) -> int:
    """Queue the edit of each post `render` has new text for (None: leave it alone).
    One row per post holds the newest text, so many changes in a burst cost one edit."""
    edits = 0
    for post in posts:
        live = await render(post)
        if live is None:
            continue
        payload: dict[str, Any] = {
            "target_key": post.key,
            "text": live.text,
            "caption": live.caption,
        }
        if live.markup:
            payload["markup"] = live.markup.as_dict()
        await outbox.schedule_edit(
            session,
            key=str(keys.live_count(keys.stored(post.key))),
            chat_id=post.chat_id,
            payload=payload,
            ref_id=post.ref_id,
            now=now,
            min_interval=interval,
        )
        edits += 1
    return edits
