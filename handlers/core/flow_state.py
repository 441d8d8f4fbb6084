"""Holding a conversation from a handler: start it, move it on, read it for a button, take
it at its last step (once), end it. State is kept in the database by bot.core.flow."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.core.flow import D, Flow, FlowState, S
from bot.strings import t
from handlers.core.replies import answer


async def save(context: Ctx, flow: Flow[S, D], step: S, data: D) -> FlowState[S, D]:
    """Put the caller at `step` with `data` (a restart or another instance resumes it)."""
    deps = context.deps
    async with deps.db.begin() as session:
        return await flow.save(
            session, user_id=context.caller.telegram_id, step=step, data=data, now=deps.clock.now()
        )


async def current(context: Ctx, flow: Flow[S, D]) -> FlowState[S, D] | None:
    """The caller's state in this flow, if they are in it."""
    async with context.deps.db.read() as session:
        return await flow.load(session, context.caller.telegram_id)


async def at(update: Update, context: Ctx, flow: Flow[S, D], *steps: S) -> FlowState[S, D] | None:
    """The caller's state if a button of one of these steps may act on it (any step when none
    are named); otherwise the button has expired and the caller is told so."""
    state = await current(context, flow)
    if state is None or (steps and state.step not in steps):
        await answer(update, context, t(context.caller.lang, "button_expired"), alert=True)
        return None
    return state


async def end(context: Ctx, flow: Flow[S, D]) -> None:
    """Leave this flow (if the caller is still in it)."""
    async with context.deps.db.begin() as session:
        await flow.end(session, user_id=context.caller.telegram_id)
