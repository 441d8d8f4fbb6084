"""Members asking rights questions: /ask (in private, or in a group), a question typed in
private chat, which of two entries they meant, related questions, "was this helpful?", the
bot's other tasks when a question is not about rights, and 「问工会」."""

from __future__ import annotations

from typing import Any

from telegram import Chat, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.core.keyboard import Button, Keyboard
from bot.core.small_talk import small_talk
from bot.rights import answers, views
from bot.rights.asking import ASK, AskData, AskStep, give_question
from bot.rights.callbacks import (
    ChoicePress,
    HandoffPress,
    HelpfulPress,
    RelatedPress,
    SendPress,
    Task,
    TaskPress,
)
from bot.rights.handoff import HANDOFF, add_details, open_handoff, send_handoff, send_keyboard
from bot.rights.handoff import State as HandoffState
from bot.roles import Role
from bot.strings import Lang, t
from handlers.activities.signups import on_activities
from handlers.cases.report import on_report
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.menu import on_help
from handlers.core.replies import answer, markup, say
from handlers.members.profile import on_me


def _in_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type != Chat.PRIVATE


def _private_chat(context: Ctx, lang: Lang, key: str) -> Keyboard:
    """A button opening the member's private chat with the bot."""
    link = f"https://t.me/{context.bot.username}"
    return Keyboard.of([[Button(t(lang, key), url=link)]])


async def on_ask(update: Update, context: Ctx) -> None:
    """`/ask 问题` answers at once; a bare /ask waits for the question. In a group, a general
    rights question is answered there if the union allows it, privately otherwise."""
    text = " ".join(context.args or []).strip()
    if _in_group(update):
        await _ask_in_group(update, context, text)
        return
    if not text:
        await _prompt(update, context)
        return
    await answer_question(update, context, text)


async def _prompt(update: Update, context: Ctx) -> None:
    await flow_state.save(context, ASK, AskStep.QUESTION, AskData())
    await say(update, context, t(context.caller.lang, "kb_ask_prompt"))


async def _ask_in_group(update: Update, context: Ctx, text: str) -> None:
    """Answer in the group (an answer only, if allowed), or send the reply privately and say
    so in the group with a link to the private chat."""
    caller, deps = context.caller, context.deps
    reply = await _reply(context, text) if text else None
    if reply is None:
        keyboard = _private_chat(context, caller.lang, "btn_kb_open_private")
        await say(update, context, t(caller.lang, "kb_group_ask_privately"), keyboard)
        return
    if reply.answer and deps.config.rights.answer_in_groups:
        keyboard = _private_chat(context, caller.lang, "btn_kb_continue_private")
        await say(update, context, reply.text, keyboard)
        return
    try:
        await context.bot.send_message(
            chat_id=caller.telegram_id, text=reply.text, reply_markup=markup(reply.keyboard)
        )
    except (Forbidden, BadRequest):  # they never opened the private chat, or blocked the bot
        keyboard = _private_chat(context, caller.lang, "btn_kb_open_private")
        await say(update, context, t(caller.lang, "kb_group_ask_privately"), keyboard)
        return
    keyboard = _private_chat(context, caller.lang, "btn_kb_open_private")
    await say(update, context, t(caller.lang, "kb_group_answered_privately"), keyboard)


async def on_ask_message(update: Update, context: Ctx, _: FlowState[AskStep, AskData]) -> None:
    """The question after a bare /ask."""
    message = update.effective_message
    question = give_question(message.text if message is not None else None)
    if isinstance(question, Rejected):
        await say(update, context, t(context.caller.lang, question.key))
        return
    await flow_state.end(context, ASK)
    await answer_question(update, context, question)


async def _reply(context: Ctx, text: str) -> answers.Reply | None:
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        return await answers.ask(
            session,
            deps.knowledge,
            member_id=caller.member_id,
            text=text,
            lang=caller.lang,
            now=deps.clock.now(),
        )


async def answer_question(update: Update, context: Ctx, text: str) -> None:
    """Answer a question typed by a member (with /ask or free text in private chat); a
    greeting or thanks is answered as such, with the bot's main tasks."""
    chat = small_talk(text)
    if chat is not None:
        talk = views.small_talk_reply(chat, context.caller.lang)
        await say(update, context, talk.text, talk.keyboard)
        return
    reply = await _reply(context, text)
    if reply is None:
        await say(update, context, t(context.caller.lang, "idle_hint"))
        return
    await say(update, context, reply.text, reply.keyboard)


async def on_choice(update: Update, context: Ctx, press: ChoicePress) -> None:
    """The entry the member meant: its answer to their question, as a new message."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        reply = await answers.pick(
            session,
            deps.knowledge,
            question_id=press.question_id,
            member_id=caller.member_id,
            entry_id=press.entry_id,
            lang="en" if press.english else caller.lang,
        )
    if isinstance(reply, str):
        await answer(update, context, t(caller.lang, reply), alert=True)
        return
    await answer(update, context)
    await say(update, context, reply.text, reply.keyboard)


async def on_task(update: Update, context: Ctx, press: TaskPress) -> None:
    """One of the bot's main tasks, offered under 「这不是劳动权益问题」."""
    await answer(update, context)
    if press.task is Task.ASK:
        await _prompt(update, context)
    elif press.task is Task.REPORT:
        await on_report(update, context)
    elif press.task is Task.ACTIVITIES:
        await on_activities(update, context)
    elif press.task is Task.PROFILE:
        await on_me(update, context)
    else:
        await on_help(update, context)


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
    """「问工会」: show what will go to the union and let the member add to it."""
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
        command("ask", on_ask, role=Role.MEMBER, where="any"),
        button(ChoicePress, on_choice, role=Role.MEMBER, where="private"),
        button(TaskPress, on_task, role=Role.MEMBER, where="private"),
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
