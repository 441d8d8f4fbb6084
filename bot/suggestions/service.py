"""Suggestions (合理化建议): publishing an adopted one to the groups, and co-signing it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import Config
from bot.strings import Html, Lang, t
from storage import cases, groups, outbox
from storage.models import Case

POST_KIND = "suggestion_post"
EDIT_INTERVAL = timedelta(seconds=10)


def post(case: Case, supporters: int, lang: Lang) -> tuple[str, dict[str, Any]]:
    """The group post (the suggestion, never who made it) and its 附议 button."""
    text = t(lang, "suggestion_post", id=case.id or 0, text=Html(case.text), count=supporters)
    markup = {
        "inline_keyboard": [
            [{"text": t(lang, "btn_support"), "callback_data": f"sg:sign:{case.id}"}]
        ]
    }
    return str(text), markup


async def publish(session: AsyncSession, case: Case, *, now: datetime, config: Config) -> int:
    """Post an adopted suggestion to every bound group; only adopted ones may be published."""
    if case.kind != "suggestion" or case.status != "adopted":
        return -1
    assert case.id is not None
    text, markup = post(
        case, await cases.supporters(session, case.id), config.union.default_language
    )
    rows = [
        {
            "key": f"suggestion:{case.id}:post:chat:{group.chat_id}",
            "kind": POST_KIND,
            "chat_id": group.chat_id,
            "ref_id": case.id,
            "payload": {"parts": [{"text": text}], "markup": markup},
        }
        for group in await groups.bound(session)
    ]
    return await outbox.enqueue(session, rows, now=now)


async def support(
    session: AsyncSession, *, case_id: int, member_id: int, now: datetime, config: Config
) -> str:
    """Co-sign once; the groups' posts show the new count (edited within their budget)."""
    case = await cases.get(session, case_id)
    if case is None or case.kind != "suggestion" or case.status != "adopted":
        return "closed"
    if not await cases.support(session, case_id=case_id, member_id=member_id):
        return "already"
    text, markup = post(
        case, await cases.supporters(session, case_id), config.union.default_language
    )
    for row in await outbox.for_ref(session, ref_id=case_id, kinds=[POST_KIND], groups_only=True):
        await outbox.schedule_edit(
            session,
            key=f"{row.key}:count",
            chat_id=row.chat_id,
            payload={"target_key": row.key, "text": text, "markup": markup},
            ref_id=case_id,
            now=now,
            min_interval=EDIT_INTERVAL,
        )
    return "signed"
