"""The 附议 button under a published suggestion."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import t
from bot.suggestions.callbacks import SupportPress
from bot.suggestions.service import support
from handlers.core.guard import button
from handlers.core.replies import answer


async def on_support(update: Update, context: Ctx, press: SupportPress) -> None:
    """Co-sign a published suggestion, once per member."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None and caller.member.id is not None
    try:
        async with deps.db.begin() as session:
            key = await support(
                session,
                case_id=press.case_id,
                member_id=caller.member.id,
                role=caller.role,
                now=deps.clock.now(),
                lang=deps.config.union.default_language,
                interval=deps.live_count_interval,
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    deps.delivery.wake()
    await answer(update, context, t(caller.lang, key))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [button(SupportPress, on_support, role=Role.MEMBER)]
