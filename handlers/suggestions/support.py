"""The 附议 button under a published suggestion."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.roles import Role
from bot.strings import t
from bot.suggestions.service import support
from handlers.core.guard import legacy_button
from handlers.core.replies import answer


async def on_support(update: Update, context: Ctx) -> None:
    """Co-sign a published suggestion, once per member."""
    query = update.callback_query
    assert query is not None and query.data is not None
    caller, deps = context.caller, context.deps
    assert caller.member is not None and caller.member.id is not None
    async with deps.db.begin() as session:
        result = await support(
            session,
            case_id=int(query.data.split(":")[2]),
            member_id=caller.member.id,
            now=deps.clock.now(),
            config=deps.config,
        )
    deps.delivery.wake()
    await answer(update, context, t(caller.lang, f"support_{result}"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [legacy_button(r"^sg:sign:(\d{1,12})$", on_support, role=Role.MEMBER)]
