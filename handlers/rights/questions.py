"""Members asking rights questions: /ask, a question typed in private chat, related
questions, "was this helpful?", and 「没解决，问工会」."""

from __future__ import annotations

from typing import Any, cast

from telegram import Update
from telegram.ext import BaseHandler

from bot.cases.service import Identity
from bot.context import Ctx, FlowHandler
from bot.rights import answers
from bot.rights.answers import Buttons
from bot.rights.handoff import DETAILS_MAX, hand_off
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.core.dialog_state import dialog_at, save_step
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, keyboard, say
from storage import dialogs, rights
from storage.models import Dialog

ASK_FLOW = "rights_ask"
HANDOFF_FLOW = "rights_handoff"


async def on_ask(update: Update, context: Ctx) -> None:
    """`/ask 问题` answers at once; a bare /ask waits for the question."""
    text = " ".join(context.args or []).strip()
    if not text:
        await save_step(context, ASK_FLOW, 0, {})
        await say(update, context, t(context.caller.lang, "kb_ask_prompt"))
        return
    await answer_question(update, context, text)


async def on_ask_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The question after a bare /ask."""
    message = update.effective_message
    if message is None or not message.text:
        await say(update, context, t(context.caller.lang, "text_expected"))
        return
    async with context.deps.db.begin() as session:
        await dialogs.clear(session, user_id=context.caller.telegram_id)
    await answer_question(update, context, message.text)


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
    await say(update, context, Html(reply.text), keyboard(reply.buttons))


async def on_related(update: Update, context: Ctx) -> None:
    """A related question's button: its answer, as a new message."""
    query = update.callback_query
    assert query is not None and query.data is not None
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        reply = await answers.open_entry(
            session,
            deps.knowledge,
            member_id=caller.member_id,
            entry_id=query.data.split(":")[2],
            lang="en" if query.data.endswith(":en") else caller.lang,
            now=deps.clock.now(),
        )
    if reply is None:
        await answer(update, context, t(caller.lang, "kb_entry_gone"), alert=True)
        return
    await answer(update, context)
    await say(update, context, Html(reply.text), keyboard(reply.buttons))


async def on_helpful(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, _, question_id, value = query.data.split(":")
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        key = await answers.rate(
            session,
            question_id=int(question_id),
            member_id=caller.member_id,
            helpful=value == "1",
        )
    await answer(update, context, t(caller.lang, key), alert=key == "kb_thanks_not_helpful")


def _send_buttons(lang: Lang) -> Buttons:
    return [
        [
            (t(lang, "btn_kb_send_named"), "kb:send:named"),
            (t(lang, "btn_kb_send_anonymous"), "kb:send:anonymous"),
        ]
    ]


async def on_handoff(update: Update, context: Ctx) -> None:
    """「没解决，问工会」: show what will go to the union and let the member add to it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    caller, deps = context.caller, context.deps
    question_id = int(query.data.split(":")[2])
    async with deps.db.read() as session:
        question = await answers.own_question(session, question_id, caller.member_id)
        untied = await rights.get_question(session, question_id) if question is None else None
    if question is None:
        # An anonymous question whose case has closed belongs to nobody any more.
        case_id = untied.case_id if untied is not None and untied.member_id is None else None
        key = "kb_already_sent" if case_id is not None else "kb_not_yours"
        await answer(update, context, t(caller.lang, key, id=case_id or 0), alert=True)
        return
    if question.case_id is not None:
        await answer(
            update, context, t(caller.lang, "kb_already_sent", id=question.case_id), alert=True
        )
        return
    await save_step(context, HANDOFF_FLOW, 1, {"question_id": question.id, "details": ""})
    await answer(update, context)
    text = t(caller.lang, "kb_handoff_preview", question=question.text)
    await say(
        update,
        context,
        text + "\n\n" + t(caller.lang, "cancel_hint"),
        keyboard(_send_buttons(caller.lang)),
    )


async def on_handoff_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """Details the member adds before sending; kept with the question."""
    message = update.effective_message
    lang = context.caller.lang
    if message is None or not message.text:
        await say(update, context, t(lang, "text_expected"))
        return
    details = "\n".join(p for p in (str(dialog.data.get("details", "")), message.text) if p)
    if len(details) > DETAILS_MAX:
        await say(update, context, t(lang, "kb_details_too_long", limit=DETAILS_MAX))
        return
    await save_step(context, HANDOFF_FLOW, 1, dialog.data | {"details": details})
    await say(update, context, t(lang, "kb_details_added"), keyboard(_send_buttons(lang)))


async def on_send(update: Update, context: Ctx) -> None:
    """Send the question to the union, named or anonymous."""
    query = update.callback_query
    assert query is not None and query.data is not None
    dialog = await dialog_at(update, context, HANDOFF_FLOW, 1)
    if dialog is None:
        return
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        question = await answers.own_question(
            session, int(dialog.data["question_id"]), caller.member.id
        )
        if question is None or question.case_id is not None:
            case = None
        else:
            case = await hand_off(
                session,
                deps.knowledge,
                question=question,
                reporter=caller.member,
                details=str(dialog.data.get("details", "")),
                identity=cast(Identity, query.data.split(":")[2]),
                now=deps.clock.now(),
                config=deps.config,
            )
    if case is None:
        key, case_id = ("kb_already_sent", question.case_id) if question else ("kb_not_yours", 0)
        await answer(update, context, t(caller.lang, key, id=case_id or 0), alert=True)
        return
    deps.delivery.wake()
    await answer(update, context)
    await say(update, context, t(caller.lang, "kb_handoff_sent", id=case.id or 0))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("ask", on_ask, role=Role.MEMBER),
        legacy_button(
            r"^kb:go:([a-z0-9][a-z0-9-]{0,39})(:en)?$",
            on_related,
            role=Role.MEMBER,
            where="private",
        ),
        legacy_button(r"^kb:h:(\d{1,12}):([01])$", on_helpful, role=Role.MEMBER, where="private"),
        legacy_button(r"^kb:ask:(\d{1,12})$", on_handoff, role=Role.MEMBER, where="private"),
        legacy_button(r"^kb:send:(named|anonymous)$", on_send, role=Role.MEMBER, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(ASK_FLOW, Role.MEMBER, on_ask_message, "cancel_done"),
        legacy(HANDOFF_FLOW, Role.MEMBER, on_handoff_message, "cancel_done"),
    ]
