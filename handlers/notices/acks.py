"""The 「收到」 button under a notice, in groups and in private chats."""

from __future__ import annotations

from telegram import Chat, Message, Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.notices.callbacks import AckPress
from bot.notices.confirmations import confirm
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button
from handlers.core.replies import answer, edit


async def on_ack(update: Update, context: Ctx, press: AckPress) -> None:
    """Record the member's confirmation once; a second press says it is already recorded."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    union = deps.config.union
    async with deps.db.begin() as session:
        result = await confirm(
            session,
            notice_id=press.notice_id,
            member=caller.member,
            now=deps.clock.now(),
            union=union.name,
            group_lang=union.default_language,
            interval=deps.live_count_interval,
        )
    if result.notice is None:
        await answer(update, context, t(caller.lang, "ack_closed"), alert=True)
        return
    if result.outside:
        await answer(update, context, t(caller.lang, "ack_outside"), alert=True)
        return
    if not result.new:
        await answer(update, context, t(caller.lang, "ack_already"))
        return
    deps.delivery.wake()
    await answer(update, context, t(caller.lang, "ack_done"))
    chat = update.effective_chat
    message = update.callback_query.message if update.callback_query else None
    if (
        chat is not None
        and chat.type == Chat.PRIVATE
        and isinstance(message, Message)
        and message.text
    ):
        # The member's own copy: the button goes, the confirmation shows.
        await edit(update, message.text_html + "\n\n" + t(caller.lang, "ack_private_done"))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [button(AckPress, on_ack, role=Role.MEMBER)]
