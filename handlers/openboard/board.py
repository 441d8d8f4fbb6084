"""The open board (公开栏): /open for members in private and in bound groups, /openadd for a
cadre to put up a 公示 item for a period, and 撤下 under a cadre's /open."""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Chat, Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.core.states import Refused
from bot.core.text_split import split_html
from bot.delivery.outgoing import Part
from bot.openboard.board import board_for_chat
from bot.openboard.callbacks import WithdrawPress
from bot.openboard.items import (
    ITEM_FORM,
    TEXT_LIMIT,
    ItemDraft,
    ItemStep,
    add_item,
    example_until,
    give_text,
    last_day,
    parse_until,
    withdraw_item,
)
from bot.openboard.views import board_text, withdraw_keyboard
from bot.roles import Role
from bot.strings import t
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, say, say_parts


def _typed(update: Update) -> str | None:
    message = update.effective_message
    return message.text if message is not None else None


async def on_open(update: Update, context: Ctx) -> None:
    """The board: this year's figures with no name, and the 公示 items in their period."""
    caller, deps = context.caller, context.deps
    chat = update.effective_chat
    in_group = chat is not None and chat.type != Chat.PRIVATE
    now, config = deps.clock.now(), deps.config
    async with deps.db.read() as session:
        board = await board_for_chat(
            session, chat_id=chat.id if in_group and chat else None, now=now, config=config
        )
    if board is None:
        await say(update, context, t(caller.lang, "open_group_unbound"))
        return
    lang = config.union.default_language if in_group else caller.lang
    text = board_text(
        board, lang, union=config.union.name, zone=config.union.zone, now=now,
        least=config.open.min_count, category=partial(config.cases.category_name, lang=lang),
    )  # fmt: skip
    # Withdraw buttons only in a cadre's private chat: a group's buttons are anyone's.
    keyboard = None if in_group else withdraw_keyboard(board.items, lang, caller.role)
    hint = "\n\n" + t(lang, "open_cadre_hint") if keyboard else ""
    # A board with long 公示 items may pass Telegram's limit: sent in parts, buttons last.
    parts = [Part(piece) for piece in split_html(text + hint)]
    await say_parts(update, context, parts, keyboard)


async def on_openadd(update: Update, context: Ctx) -> None:
    """Start a 公示 item: ask for its words."""
    lang = context.caller.lang
    await flow_state.save(context, ITEM_FORM, ItemStep.TEXT, ItemDraft())
    await say(update, context, t(lang, "open_add_ask_text", max=TEXT_LIMIT))


async def on_item_message(
    update: Update, context: Ctx, state: FlowState[ItemStep, ItemDraft]
) -> None:
    """The item's words, then its last day: put up once."""
    caller, deps = context.caller, context.deps
    now, zone = deps.clock.now(), deps.config.union.zone
    example = example_until(now, zone)
    if state.step == ItemStep.TEXT:
        outcome = give_text(state, _typed(update))
        if isinstance(outcome, Rejected):
            await say(update, context, t(caller.lang, outcome.key, **outcome.params))
            return
        await flow_state.save(context, ITEM_FORM, outcome.step, outcome.data)
        await say(update, context, t(caller.lang, "open_add_ask_until", example=example))
        return
    until = parse_until(_typed(update) or "", now=now, zone=zone)
    if isinstance(until, Rejected):
        await say(update, context, t(caller.lang, until.key, example=example))
        return
    async with deps.db.begin() as session:
        taken = await ITEM_FORM.take(session, user_id=caller.telegram_id, step=state.step)
        item = None
        if taken is not None:
            item = await add_item(
                session, text=taken.data.text, until=until, author=caller.member, now=now
            )
    if item is None:
        await say(update, context, t(caller.lang, "button_expired"))
        return
    end = last_day(until, zone).isoformat()
    await say(update, context, t(caller.lang, "open_added", id=item.id or 0, end=end))


async def on_withdraw(update: Update, context: Ctx, press: WithdrawPress) -> None:
    """Take a 公示 item off the board now (once)."""
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.begin() as session:
            await withdraw_item(session, press.item_id, role=caller.role, now=deps.clock.now())
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    await say(update, context, t(caller.lang, "open_withdrawn", id=press.item_id))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("open", on_open, role=Role.MEMBER, where="any"),
        command("openadd", on_openadd, role=Role.CADRE),
        button(WithdrawPress, on_withdraw, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(ITEM_FORM, on_item_message)]
