"""The cadres' case desk: /cases, the case card, and every action from its buttons.

The services check each press against the case's table (a forged one is refused like a
stale one); after an action the card is redrawn in place, showing the new status and who
took each step and when."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.ext import BaseHandler

from bot.care.forms import VISIT_FORM, OneStep, VisitDraft
from bot.care.visits import check_visit
from bot.cases.callbacks import AssignPress, DeskList, DeskListPress, DeskPress
from bot.cases.desk import card_view, inbox, inbox_view, load_card, picker_view
from bot.cases.labels import PROMPTS, STEPS
from bot.cases.moves import RECORDED, act, allowed, assign, cadres_to_pick
from bot.cases.states import WRITTEN, CaseAction
from bot.cases.written import DESK_WRITING, CardAt, DeskWriting, WrittenStep, words
from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.core.keyboard import Keyboard
from bot.core.states import Refused
from bot.delivery.outgoing import Part
from bot.roles import Role
from bot.strings import Html, t
from bot.suggestions.service import publish
from handlers.core import flow_state
from handlers.core.content import content_of
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, edit_at, say, say_parts
from handlers.rights.kb_admin import start_from_case

Route = Callable[[Update, Ctx, DeskPress], Coroutine[Any, Any, None]]


async def on_cases(update: Update, context: Ctx) -> None:
    """Open cases, newest first; `/cases overdue|done`, or a category or department name."""
    await _send_list(update, context, " ".join(context.args or []).strip() or DeskList.OPEN)


async def on_list(update: Update, context: Ctx, press: DeskListPress) -> None:
    await _send_list(update, context, press.which)


async def _send_list(update: Update, context: Ctx, which: str) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        shown, found = await inbox(session, which, now=deps.clock.now(), config=deps.config)
    text, keyboard = inbox_view(shown, found, lang)
    await say(update, context, text, keyboard)


async def _card(context: Ctx, case_id: int) -> tuple[Html, Keyboard, list[Part]]:
    """The card's text and buttons for the caller, and the reporter's photos and files."""
    caller, deps = context.caller, context.deps
    async with deps.db.read() as session:
        card = await load_card(session, case_id, role=caller.role)
    text, keyboard = card_view(card, caller.lang, zone=deps.config.union.zone, role=caller.role)
    files = [Part.attachment(a["kind"], a["file_id"]) for a in card.case.attachments]
    return text, keyboard, files


async def redraw_card(update: Update, context: Ctx, case_id: int, at: CardAt | None = None) -> None:
    """Show the case's card as it is now, in place: in the pressed message, or at `at`."""
    try:
        text, keyboard, _ = await _card(context, case_id)
    except Refused:
        return
    if at is not None:
        await edit_at(context, at.chat_id, at.message_id, text, keyboard)
    elif update.callback_query is not None:
        await edit(update, text, keyboard)


async def on_desk(update: Update, context: Ctx, press: DeskPress) -> None:
    """A desk button: the service decides whether this cadre may, from the case's status."""
    route = ROUTES.get(press.action, _ask_words if press.action in WRITTEN else _act_now)
    try:
        await route(update, context, press)
    except Refused as refused:
        await answer(update, context, t(context.caller.lang, refused.key), alert=True)


async def _open(update: Update, context: Ctx, press: DeskPress) -> None:
    """The card as a new message, then the reporter's photos and files."""
    text, keyboard, files = await _card(context, press.case_id)
    await say(update, context, text, keyboard)
    if files:
        await say_parts(update, context, files)


async def open_card(update: Update, context: Ctx, case_id: int) -> None:
    """A cadre's /case 3: case #3's card (or why not), as 查看 under a list would show it."""
    try:
        await _open(update, context, DeskPress(action=CaseAction.VIEW, case_id=case_id))
    except Refused as refused:
        await say(update, context, t(context.caller.lang, refused.key, id=case_id))


async def _act_now(update: Update, context: Ctx, press: DeskPress) -> None:
    """Accept, progress, study, adopt, approve: done at once, then the card redrawn."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        await act(
            session,
            press.case_id,
            action=press.action,
            actor=caller.member,
            role=caller.role,
            now=deps.clock.now(),
            config=deps.config,
        )
    await _done(update, context, press.case_id, press.action)


async def _done(update: Update, context: Ctx, case_id: int, action: CaseAction) -> None:
    context.deps.delivery.wake()
    lang = context.caller.lang
    what = t(lang, STEPS[RECORDED[action]])
    await answer(update, context, t(lang, "desk_done", id=case_id, action=what))
    await redraw_card(update, context, case_id)


def _card_at(update: Update) -> CardAt | None:
    query = update.callback_query
    message = query.message if query is not None else None
    if not isinstance(message, Message):
        return None
    return CardAt(chat_id=message.chat.id, message_id=message.message_id)


async def _ask_words(update: Update, context: Ctx, press: DeskPress) -> None:
    """Reply, ask, escalate, resolve, reject, decline: first the words, then the action."""
    caller, deps = context.caller, context.deps
    writing = DeskWriting(case_id=press.case_id, action=press.action, card=_card_at(update))
    async with deps.db.begin() as session:
        await allowed(session, press.case_id, press.action, caller.role)
        await DESK_WRITING.save(
            session,
            user_id=caller.telegram_id,
            step=WrittenStep.TEXT,
            data=writing,
            now=deps.clock.now(),
        )
    prompt = t(caller.lang, PROMPTS[press.action], id=press.case_id)
    await say(update, context, prompt + "\n\n" + t(caller.lang, "cancel_hint"))


async def on_desk_words(
    update: Update, context: Ctx, state: FlowState[WrittenStep, DeskWriting]
) -> None:
    """The words an action needs: the action is taken with them (the conversation once)."""
    caller, deps = context.caller, context.deps
    text = words(content_of(update.effective_message))
    if isinstance(text, Rejected):
        await say(update, context, t(caller.lang, text.key))
        return
    writing = state.data
    try:
        async with deps.db.begin() as session:
            if not await DESK_WRITING.take(session, user_id=caller.telegram_id, step=state.step):
                raise Refused("button_expired")
            await act(
                session,
                writing.case_id,
                action=writing.action,
                actor=caller.member,
                role=caller.role,
                now=deps.clock.now(),
                config=deps.config,
                text=text,
            )
    except Refused as refused:
        await flow_state.end(context, DESK_WRITING)
        await say(update, context, t(caller.lang, refused.key))
        return
    deps.delivery.wake()
    what = t(caller.lang, STEPS[RECORDED[writing.action]])
    await say(update, context, t(caller.lang, "desk_done", id=writing.case_id, action=what))
    if writing.card is not None:
        await redraw_card(update, context, writing.case_id, writing.card)


async def _pick_cadre(update: Update, context: Ctx, press: DeskPress) -> None:
    """The card turns into the list of cadres (「返回」 turns it back)."""
    caller = context.caller
    async with context.deps.db.read() as session:
        cadres = await cadres_to_pick(session, press.case_id, role=caller.role)
    text, keyboard = picker_view(press.case_id, cadres, caller.lang)
    await edit(update, text, keyboard)


async def on_assign(update: Update, context: Ctx, press: AssignPress) -> None:
    """Assign the case to the cadre picked (once), or go back to the card."""
    caller, deps = context.caller, context.deps
    if press.cadre_id is None:
        await redraw_card(update, context, press.case_id)
        return
    try:
        async with deps.db.begin() as session:
            await assign(
                session,
                press.case_id,
                assignee_id=press.cadre_id,
                actor=caller.member,
                role=caller.role,
                now=deps.clock.now(),
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    await _done(update, context, press.case_id, CaseAction.ASSIGN)


async def _start_visit(update: Update, context: Ctx, press: DeskPress) -> None:
    """Ask for the amount and what was given (a care visit on this case)."""
    caller, deps = context.caller, context.deps
    draft = VisitDraft(case_id=press.case_id, card=_card_at(update))
    async with deps.db.begin() as session:
        await check_visit(session, press.case_id, role=caller.role)
        await VISIT_FORM.save(
            session, user_id=caller.telegram_id, step=OneStep.TEXT, data=draft, now=deps.clock.now()
        )
    prompt = t(caller.lang, "visit_prompt", id=press.case_id)
    await say(update, context, prompt + "\n\n" + t(caller.lang, "cancel_hint"))


async def _save_to_knowledge(update: Update, context: Ctx, press: DeskPress) -> None:
    """「存入知识库」 on a consultation: the knowledge-base form, filled from the case."""
    async with context.deps.db.read() as session:
        await allowed(session, press.case_id, press.action, context.caller.role)
    await start_from_case(update, context, press.case_id)


async def _publish(update: Update, context: Ctx, press: DeskPress) -> None:
    """Post an adopted suggestion to the groups: once, however many taps."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        await publish(
            session,
            press.case_id,
            actor=caller.member,
            role=caller.role,
            now=deps.clock.now(),
            config=deps.config,
        )
    deps.delivery.wake()
    await answer(update, context, t(caller.lang, "suggestion_published"), alert=True)
    await redraw_card(update, context, press.case_id)


ROUTES: dict[CaseAction, Route] = {
    CaseAction.VIEW: _open,
    CaseAction.ASSIGN: _pick_cadre,
    CaseAction.VISIT: _start_visit,
    CaseAction.KBSAVE: _save_to_knowledge,
    CaseAction.PUBLISH: _publish,
}


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("cases", on_cases, role=Role.CADRE),
        button(DeskListPress, on_list, role=Role.CADRE, where="private"),
        button(DeskPress, on_desk, role=Role.CADRE, where="private"),
        button(AssignPress, on_assign, role=Role.CADRE, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(DESK_WRITING, on_desk_words)]
