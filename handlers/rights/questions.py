"""Members asking rights questions: /ask, a question typed in private chat, related
questions, "was this helpful?", and 「没解决，问工会」."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.rights import answers
from bot.rights.asking import ASK, AskData, AskStep, give_question
from bot.rights.callbacks import HandoffPress, HelpfulPress, RelatedPress, SendPress
from bot.rights.handoff import HANDOFF, add_details, open_handoff, send_handoff, send_keyboard
from bot.rights.handoff import State as HandoffState
from bot.roles import Role
from bot.strings import t
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, say


async def on_ask(update: Update, context: Ctx) -> None:
    """`/ask 问题` answers at once; a bare /ask waits for the question."""
    text = " ".join(context.args or []).strip()
    if not text:
        await flow_state.save(context, ASK, AskStep.QUESTION, AskData())
        await say(update, context, t(context.caller.lang, "kb_ask_prompt"))
        return
    await answer_question(update, context, text)


async def on_ask_message(update: Update, context: Ctx, _: FlowState[AskStep, AskData]) -> None:
    """The question after a bare /ask."""
    message = update.effective_message
    question = give_question(message.text if message is not None else None)
    if isinstance(question, Rejected):
        await say(update, context, t(context.caller.lang, question.key))
        return
    await flow_state.end(context, ASK)
    await answer_question(update, context, question)


async def answer_question(update: Update, context: Ctx, text: str) -> None:
    """Answer a question typed by a member (with /ask or free text in private chat)."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        reply = await answers.ask(
            session,
            deps.knowledge,
            member_id=caller.member_id,
            text=text,
            lang=caller.lang,
            now=deps.clock.now(),
        )
    if reply is None:
        await say(update, context, t(caller.lang, "idle_hint"))
        return
    await say(update, context, reply.text, reply.keyboard)


async def on_related(update: Update, context: Ctx, press: RelatedPress) -> None:
    """A related question's button: its answer, as a new message."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        reply = await answers.open_entry(
            session,
            deps.knowledge,
            member_id=caller.member_id,
            entry_id=press.entry_id,
            lang="en" if press.english else caller.lang,
            now=deps.clock.now(),
        )
    if reply is None:
        await answer(update, context, t(caller.lang, "kb_entry_gone"), alert=True)
        return
    await answer(update, context)
    await say(update, context, reply.text, reply.keyboard)


async def on_helpful(update: Update, context: Ctx, press: HelpfulPress) -> None:
    """Whether the answer helped (a second press changes it)."""
    caller = context.caller
    async with context.deps.db.begin() as session:
        key = await answers.rate(
            session,
            question_id=press.question_id,
            member_id=caller.member_id,
            helpful=press.helpful,
        )
    await answer(update, context, t(caller.lang, key), alert=key == "kb_thanks_not_helpful")


async def on_handoff(update: Update, context: Ctx, press: HandoffPress) -> None:
    """「没解决，问工会」: show what will go to the union and let the member add to it."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.begin() as session:
        question = await open_handoff(
            session,
            question_id=press.question_id,
            member=caller.member,
            telegram_id=caller.telegram_id,
            now=deps.clock.now(),
        )
    if isinstance(question, Rejected):
        await answer(update, context, t(caller.lang, question.key, **question.params), alert=True)
        return
    await answer(update, context)
    preview = t(caller.lang, "kb_handoff_preview", question=question.text)
    text = preview + "\n\n" + t(caller.lang, "cancel_hint")
    await say(update, context, text, send_keyboard(caller.lang))


async def on_handoff_message(update: Update, context: Ctx, state: HandoffState) -> None:
    """Details the member adds before sending; kept with the question."""
    lang = context.caller.lang
    message = update.effective_message
    outcome = add_details(state, message.text if message is not None else None)
    if isinstance(outcome, Rejected):
        await say(update, context, t(lang, outcome.key, **outcome.params))
        return
    await flow_state.save(context, HANDOFF, outcome.step, outcome.data)
    await say(update, context, t(lang, "kb_details_added"), send_keyboard(lang))


async def on_send(update: Update, context: Ctx, press: SendPress) -> None:
    """Send the question to the union, named or anonymous (once, however many taps)."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.begin() as session:
        case = await send_handoff(
            session,
            deps.knowledge,
            reporter=caller.member,
            telegram_id=caller.telegram_id,
            sender=press.sender,
            now=deps.clock.now(),
            config=deps.config,
        )
    if isinstance(case, Rejected):
        await answer(update, context, t(caller.lang, case.key, **case.params), alert=True)
        return
    deps.delivery.wake()
    await answer(update, context)
    await say(update, context, t(caller.lang, "kb_handoff_sent", id=case.id or 0))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("ask", on_ask, role=Role.MEMBER),
        button(RelatedPress, on_related, role=Role.MEMBER, where="private"),
        button(HelpfulPress, on_helpful, role=Role.MEMBER, where="private"),
        button(HandoffPress, on_handoff, role=Role.MEMBER, where="private"),
        button(SendPress, on_send, role=Role.MEMBER, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        FlowHandler(ASK, on_ask_message),
        FlowHandler(HANDOFF, on_handoff_message),
    ]
