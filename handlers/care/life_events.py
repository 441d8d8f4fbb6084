"""Care: /lifeevent (五必访), /hardship applications, a cadre recording a visit from the
desk, the chair approving one over the cap, and /carestats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.care import forms
from bot.care.callbacks import (
    DocumentPress,
    EventFinish,
    EventKindPress,
    EventSharePress,
    EventWhoPress,
    HardshipFinish,
    VisitPress,
)
from bot.care.events import report_event
from bot.care.forms import (
    APPROVAL_FORM,
    EVENT_FORM,
    HARDSHIP_FORM,
    VISIT_FORM,
    ApprovalDraft,
    EventDraft,
    EventOutcome,
    EventState,
    EventStep,
    HardshipDraft,
    HardshipState,
    HardshipStep,
    OneStep,
    VisitDraft,
)
from bot.care.kinds import KINDS, CareEvent
from bot.care.service import apply
from bot.care.views import checklist, event_question
from bot.care.visits import approve_visit, care_stats, pending_visit, record_visit
from bot.context import Ctx, FlowHandler
from bot.core.flow import FlowState, Rejected
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import t
from handlers.cases.desk import redraw_card
from handlers.core import flow_state
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say
from storage.statuses import VisitStatus


def _typed(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


async def on_lifeevent(update: Update, context: Ctx) -> None:
    """Tell the union about an illness, a wedding, a birth, a bereavement or a hardship."""
    lang = context.caller.lang
    await flow_state.save(context, EVENT_FORM, EventStep.KIND, EventDraft())
    text, keyboard = event_question(EventStep.KIND, EventDraft(), lang)
    await say(update, context, text + "\n\n" + t(lang, "cancel_hint"), keyboard)


async def _event_step(
    update: Update, context: Ctx, state: EventState, outcome: EventOutcome
) -> None:
    """Say what the outcome means: the next question (in place after a button), or why not."""
    lang, pressed = context.caller.lang, update.callback_query is not None
    if isinstance(outcome, Rejected):
        if pressed:
            await answer(update, context, t(lang, outcome.key), alert=True)
        else:
            await say(update, context, t(lang, outcome.key))
        return
    await flow_state.save(context, EVENT_FORM, outcome.step, outcome.data)
    text, keyboard = event_question(outcome.step, outcome.data, lang)
    if pressed:
        await edit(update, text, keyboard)
    else:
        await say(update, context, text, keyboard)


async def on_event_kind(update: Update, context: Ctx, press: EventKindPress) -> None:
    if state := await flow_state.at(update, context, EVENT_FORM, EventStep.KIND):
        await _event_step(update, context, state, forms.choose_event(state, press.event))


async def on_event_who(update: Update, context: Ctx, press: EventWhoPress) -> None:
    member = context.caller.member
    name = member.name if member is not None else ""
    if state := await flow_state.at(update, context, EVENT_FORM, EventStep.WHO):
        await _event_step(update, context, state, forms.choose_who(state, own=press.own, name=name))


async def on_event_share(update: Update, context: Ctx, press: EventSharePress) -> None:
    if state := await flow_state.at(update, context, EVENT_FORM, EventStep.SHARE):
        await _event_step(update, context, state, forms.choose_share(state, press.share))


async def on_event_message(update: Update, context: Ctx, state: EventState) -> None:
    """A colleague's name, or the when and where."""
    await _event_step(update, context, state, forms.give_text(state, _typed(update)))


async def on_event_finish(update: Update, context: Ctx, press: EventFinish) -> None:
    """Send the life event to the union (once), or drop it."""
    caller, deps = context.caller, context.deps
    if not press.send:
        if await flow_state.at(update, context, EVENT_FORM, EventStep.CONFIRM):
            await flow_state.end(context, EVENT_FORM)
            await edit(update, t(caller.lang, "report_cancelled"))
        return
    assert caller.member is not None
    async with deps.db.begin() as session:
        state = await EVENT_FORM.take(session, user_id=caller.telegram_id, step=EventStep.CONFIRM)
        draft = state.data if state is not None else None
        case = (
            await report_event(
                session,
                reporter=caller.member,
                event=draft.event,
                subject=draft.subject,
                details=draft.details,
                share=draft.share,
                now=deps.clock.now(),
                config=deps.config,
            )
            if draft is not None
            else None
        )
    if case is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "care_sent", id=case.id or 0))


async def on_hardship(update: Update, context: Ctx) -> None:
    """Apply for hardship aid: the situation, then which documents are ready."""
    lang = context.caller.lang
    await flow_state.save(context, HARDSHIP_FORM, HardshipStep.DETAILS, HardshipDraft())
    await say(update, context, t(lang, "hardship_ask") + "\n\n" + t(lang, "cancel_hint"))


async def on_hardship_message(update: Update, context: Ctx, state: HardshipState) -> None:
    lang, documents = context.caller.lang, context.deps.config.care.hardship_documents
    outcome = forms.give_hardship(state, _typed(update))
    if isinstance(outcome, Rejected):
        await say(update, context, t(lang, outcome.key))
        return
    await flow_state.save(context, HARDSHIP_FORM, outcome.step, outcome.data)
    await say(update, context, *checklist(outcome.data, documents, lang))


async def on_document(update: Update, context: Ctx, press: DocumentPress) -> None:
    """Tick or untick a document; the checklist is redrawn in place."""
    lang, documents = context.caller.lang, context.deps.config.care.hardship_documents
    state = await flow_state.at(update, context, HARDSHIP_FORM, HardshipStep.DOCUMENTS)
    if state is None:
        return
    outcome = forms.toggle_document(state, press.index, documents)
    if isinstance(outcome, Rejected):
        await answer(update, context, t(lang, outcome.key), alert=True)
        return
    await flow_state.save(context, HARDSHIP_FORM, outcome.step, outcome.data)
    await edit(update, *checklist(outcome.data, documents, lang))


async def on_hardship_finish(update: Update, context: Ctx, press: HardshipFinish) -> None:
    """Submit the application (once), or drop it."""
    caller, deps = context.caller, context.deps
    if not press.send:
        if await flow_state.at(update, context, HARDSHIP_FORM, HardshipStep.DOCUMENTS):
            await flow_state.end(context, HARDSHIP_FORM)
            await edit(update, t(caller.lang, "report_cancelled"))
        return
    assert caller.member is not None
    async with deps.db.begin() as session:
        step = HardshipStep.DOCUMENTS
        state = await HARDSHIP_FORM.take(session, user_id=caller.telegram_id, step=step)
        case = (
            await apply(
                session,
                reporter=caller.member,
                details=state.data.details,
                ticked=state.data.documents,
                lang=caller.lang,
                now=deps.clock.now(),
                config=deps.config,
            )
            if state is not None
            else None
        )
    if case is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    deps.delivery.wake()
    await edit(update, t(caller.lang, "hardship_sent", id=case.id or 0))


async def on_visit_message(
    update: Update, context: Ctx, state: FlowState[OneStep, VisitDraft]
) -> None:
    """The amount and what was given: recorded (once), the case card redrawn."""
    caller, deps = context.caller, context.deps
    parsed = forms.parse_visit(_typed(update))
    if isinstance(parsed, Rejected):
        await say(update, context, t(caller.lang, parsed.key))
        return
    amount, note = parsed
    try:
        async with deps.db.begin() as session:
            if not await VISIT_FORM.take(session, user_id=caller.telegram_id, step=state.step):
                raise Refused("button_expired")
            visit = await record_visit(
                session,
                case_id=state.data.case_id,
                cadre=caller.member,
                role=caller.role,
                amount=amount,
                note=note,
                now=deps.clock.now(),
                config=deps.config,
            )
    except Refused as refused:
        await flow_state.end(context, VISIT_FORM)
        await say(update, context, t(caller.lang, refused.key))
        return
    deps.delivery.wake()
    key = "visit_pending" if visit.status == VisitStatus.PENDING else "visit_recorded"
    await say(update, context, t(caller.lang, key, amount=amount))
    if state.data.card is not None:
        await redraw_card(update, context, state.data.case_id, state.data.card)


async def on_approve(update: Update, context: Ctx, press: VisitPress) -> None:
    """The chair approves a visit over the cap: a reason is asked for (once) and kept."""
    caller, deps = context.caller, context.deps
    asked = await flow_state.current(context, APPROVAL_FORM)
    if asked is not None and asked.data.visit_id == press.visit_id:
        await answer(update, context, t(caller.lang, "visit_reason"))  # a second tap
        return
    try:
        async with deps.db.begin() as session:
            await pending_visit(session, press.visit_id, role=caller.role)
            draft = ApprovalDraft(visit_id=press.visit_id)
            now = deps.clock.now()
            await APPROVAL_FORM.save(
                session, user_id=caller.telegram_id, step=OneStep.TEXT, data=draft, now=now
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    await say(update, context, t(caller.lang, "visit_reason"))


async def on_approve_message(
    update: Update, context: Ctx, state: FlowState[OneStep, ApprovalDraft]
) -> None:
    caller, deps = context.caller, context.deps
    reason = forms.give_reason(_typed(update))
    if isinstance(reason, Rejected):
        await say(update, context, t(caller.lang, reason.key))
        return
    try:
        async with deps.db.begin() as session:
            if not await APPROVAL_FORM.take(session, user_id=caller.telegram_id, step=state.step):
                raise Refused("button_expired")
            await approve_visit(
                session,
                state.data.visit_id,
                chair=caller.telegram_id,
                role=caller.role,
                reason=reason,
                now=deps.clock.now(),
            )
    except Refused as refused:
        await flow_state.end(context, APPROVAL_FORM)
        await say(update, context, t(caller.lang, refused.key))
        return
    deps.delivery.wake()
    await say(update, context, t(caller.lang, "visit_approved"))


async def on_carestats(update: Update, context: Ctx) -> None:
    """This year's visits by kind and department, and spending against the caps."""
    lang, deps = context.caller.lang, context.deps
    zone = deps.config.union.zone
    year_start = datetime(deps.clock.now().astimezone(zone).year, 1, 1, tzinfo=zone)
    async with deps.db.read() as session:
        stats = await care_stats(session, since=year_start)
    caps = deps.config.care.caps
    lines = [t(lang, "carestats_title", pending=stats.pending)]
    lines += [
        t(
            lang,
            "carestats_kind",
            kind=t(lang, KINDS[kind]),
            visits=stats.visits[kind],
            spent=stats.spent[kind],
            cap=caps.get(kind, 0),
        )
        for kind in CareEvent
    ]
    if stats.by_department:
        lines.append(t(lang, "carestats_by_department"))
        lines += [
            t(lang, "stats_line", name=d, count=n) for d, n in stats.by_department.most_common()
        ]
    await say(update, context, "\n".join(lines))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    member = Role.MEMBER
    return [
        command("lifeevent", on_lifeevent, role=member),
        command("hardship", on_hardship, role=member),
        command("carestats", on_carestats, role=Role.CADRE),
        button(EventKindPress, on_event_kind, role=member, where="private"),
        button(EventWhoPress, on_event_who, role=member, where="private"),
        button(EventSharePress, on_event_share, role=member, where="private"),
        button(EventFinish, on_event_finish, role=member, where="private"),
        button(DocumentPress, on_document, role=member, where="private"),
        button(HardshipFinish, on_hardship_finish, role=member, where="private"),
        button(VisitPress, on_approve, role=Role.ADMIN, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        FlowHandler(EVENT_FORM, on_event_message),
        FlowHandler(HARDSHIP_FORM, on_hardship_message),
        FlowHandler(VISIT_FORM, on_visit_message),
        FlowHandler(APPROVAL_FORM, on_approve_message),
    ]
