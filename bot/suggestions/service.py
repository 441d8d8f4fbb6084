"""Suggestions (合理化建议): publishing an adopted one to the groups, once, and co-signing it.

Publishing is a compare-and-set from adopted to published in the same transaction as the
posts are queued, so a double tap posts once and tells the cadre once. Co-signing is allowed
on a published suggestion only; the posts' live count is edited by bot.delivery.live_counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.moves import allowed, move, record
from bot.cases.states import CaseAction, table_for
from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.core.states import Refused
from bot.delivery import keys, live_counts
from bot.delivery.live_counts import LiveText
from bot.delivery.outgoing import Outgoing, OutKind, enqueue
from bot.roles import Role
from bot.strings import Html, Lang, t
from bot.suggestions.callbacks import support_press
from storage import cases, groups
from storage.models import Case, Member, Outbox


def post(case: Case, supporters: int, lang: Lang) -> tuple[Html, Keyboard]:
    """The group post (the suggestion, never who made it) and its 附议 button."""
    assert case.id is not None
    text = t(lang, "suggestion_post", id=case.id, text=Html(case.text), count=supporters)
    button = Button(t(lang, "btn_support"), support_press(case.id))
    return text, Keyboard.column([button])


async def publish(
    session: AsyncSession,
    case_id: int,
    *,
    actor: Member | None,
    role: Role,
    now: datetime,
    config: Config,
) -> int:
    """Post an adopted suggestion to every bound group; Refused unless it is adopted and
    not yet posted. Returns how many posts were queued."""
    case = await allowed(session, case_id, CaseAction.PUBLISH, role)
    await move(session, case, CaseAction.PUBLISH, role=role, actor=actor, now=now)
    await record(session, case, CaseAction.PUBLISH, actor=actor, now=now)
    lang = config.union.default_language
    text, keyboard = post(case, await cases.supporters(session, case_id), lang)
    posts = [
        Outgoing.text(
            keys.suggestion_post(case_id, group.chat_id),
            OutKind.SUGGESTION_POST,
            group.chat_id,
            text,
            markup=keyboard,
            ref_id=case_id,
        )
        for group in await groups.bound(session)
    ]
    return await enqueue(session, posts, now=now)


async def support(
    session: AsyncSession,
    *,
    case_id: int,
    member_id: int,
    role: Role,
    now: datetime,
    lang: Lang,
    interval: timedelta,
) -> str:
    """Co-sign once (Refused unless the suggestion is published); the groups' posts show the
    new count, edited within their budget. Returns the catalogue key to answer with."""
    case = await cases.get(session, case_id)
    if case is None:
        raise Refused("case_unknown")
    table_for(case.kind).check(case.status, CaseAction.SIGN, role)
    if not await cases.support(session, case_id=case_id, member_id=member_id):
        return "support_already"
    supporters = await cases.supporters(session, case_id)

    async def render(_: Outbox) -> LiveText:
        text, keyboard = post(case, supporters, lang)
        return LiveText(text, keyboard)

    posts = await live_counts.group_posts(session, ref_id=case_id, kind=OutKind.SUGGESTION_POST)
    await live_counts.refresh(session, posts, render, now=now, interval=interval)
    return "support_signed"
