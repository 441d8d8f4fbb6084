"""/receipts: how far each notice got, per department, and who has not confirmed."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.core.states import Refused
from bot.notices.callbacks import ReceiptAction, ReceiptPress
from bot.notices.receipts import listing, receipt_view, receipts
from bot.notices.reminders import remind
from bot.notices.views import recent_notices, sent_notice
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say

RECENT = 8


async def on_receipts(update: Update, context: Ctx) -> None:
    """List recent notices; each button opens its receipt."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        recent = await recent_notices(session, limit=RECENT)
    if not recent:
        await say(update, context, t(lang, "receipts_none"))
        return
    await say(
        update, context, t(lang, "receipts_title"), listing(recent, lang, deps.config.union.zone)
    )


async def on_receipt_button(update: Update, context: Ctx, press: ReceiptPress) -> None:
    """Open a notice's receipt (a new message), refresh it in place, or remind the unconfirmed."""
    lang, deps = context.caller.lang, context.deps
    union = deps.config.union
    if press.action == ReceiptAction.REMIND:
        try:
            async with deps.db.begin() as session:
                notice = await sent_notice(session, press.notice_id)
                count = await remind(
                    session,
                    notice,
                    seen=press.rounds,
                    now=deps.clock.now(),
                    zone=union.zone,
                    union=union.name,
                    night=deps.config.notices.night,
                )
        except Refused as refused:
            await answer(update, context, t(lang, refused.key), alert=True)
            return
        deps.delivery.wake()
        await answer(update, context, t(lang, "reminders_queued", count=count), alert=True)
    try:
        async with deps.db.read() as session:
            notice = await sent_notice(session, press.notice_id)
            receipt = await receipts(session, notice)
    except Refused as refused:
        await answer(update, context, t(lang, refused.key), alert=True)
        return
    text, keyboard = receipt_view(notice, receipt, lang, union.zone)
    if press.action == ReceiptAction.OPEN:
        await say(update, context, text, keyboard)
    else:
        await edit(update, text, keyboard)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("receipts", on_receipts, role=Role.CADRE),
        button(ReceiptPress, on_receipt_button, role=Role.CADRE, where="private"),
    ]
