"""/report and /suggest, and a reporter's own cases: /mycases, adding information, rating,
/case CODE. Each reporter action is checked by the service (ownership and the case's table)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.cases import form
from bot.cases.callbacks import (
    CategoryPress,
    DetailsDone,
    IdentityPress,
    RatePress,
    ReporterAction,
    ReporterPress,
    ReportFinish,
)
from bot.cases.form import FORMS, REPORT_FORM, ReportDraft, ReportStep, State, form_for
from bot.cases.form_view import category_question, identity_question, noted_keyboard, summary
from bot.cases.labels import to_reporter
from bot.cases.reporter import add_information, by_code, may_add, own_cases, own_thread, rate
from bot.cases.service import department_size, file_report
from bot.cases.views import code_status, own_case, own_list, reporter_keyboard
from bot.cases.written import ADDITION, Addition, WrittenStep, words
from bot.context import Ctx, FlowHandler
from bot.core.flow import Flow, FlowState, Rejected
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import t
from handlers.cases.desk import open_card
from handlers.core import flow_state
from handlers.core.content import content_of
from handlers.core.guard import button, command
from handlers.core.replies import answer, edit, say
from storage.statuses import CaseStatus

Form = Flow[ReportStep, ReportDraft]


async def on_report(update: Update, context: Ctx) -> None:
    """Start a report: choose its category first."""
    lang = context.caller.lang
    await flow_state.save(context, REPORT_FORM, ReportStep.CATEGORY, ReportDraft())
    text, keyboard = category_question(context.deps.config.cases, lang)
    await say(update, context, text, keyboard)


async def on_suggest(update: Update, context: Ctx) -> None:
    """Start a suggestion (合理化建议): straight to what the member proposes."""
    lang = context.caller.lang
    # Stored in the union's language (cadres read it); shown to each reader in theirs.
    draft = form.suggestion(t(context.deps.config.union.default_language, "suggestion_category"))
    await flow_state.save(context, form.SUGGEST_FORM, ReportStep.DETAILS, draft)
    await say(update, context, t(lang, "suggest_ask") + "\n\n" + t(lang, "cancel_hint"))


async def _form_at(update: Update, context: Ctx, step: ReportStep) -> tuple[Form, State] | None:
    """The report or suggestion form the caller is in, if a button of `step` may act on it."""
    for flow in FORMS:
        state = await flow_state.current(context, flow)
        if state is not None and state.step == step:
            return flow, state
    await answer(update, context, t(context.caller.lang, "button_expired"), alert=True)
    return None


async def _reject(update: Update, context: Ctx, rejected: Rejected) -> None:
    text = t(context.caller.lang, rejected.key, **rejected.params)
    await answer(update, context, text, alert=True)


async def on_category(update: Update, context: Ctx, press: CategoryPress) -> None:
    """The category: the question becomes the request for details."""
    categories = context.deps.config.cases.categories
    state = await flow_state.at(update, context, REPORT_FORM, ReportStep.CATEGORY)
    if state is None:
        return
    outcome = form.choose_category(state, press.index, categories)
    if isinstance(outcome, Rejected):
        await _reject(update, context, outcome)
        return
    await flow_state.save(context, REPORT_FORM, outcome.step, outcome.data)
    lang = context.caller.lang
    category = context.deps.config.cases.category_name(outcome.data.category, lang)
    await edit(update, t(lang, "report_ask_details", category=category))


async def on_details(update: Update, context: Ctx, state: State) -> None:
    """What happened: text (several messages are joined), photos or documents."""
    lang, limit = context.caller.lang, context.deps.config.cases.max_text
    outcome = form.give_details(state, content_of(update.effective_message), limit=limit)
    if isinstance(outcome, Rejected):
        await say(update, context, t(lang, outcome.key, **outcome.params))
        return
    await flow_state.save(context, form_for(outcome.data.kind), outcome.step, outcome.data)
    await say(update, context, t(lang, "report_noted"), noted_keyboard(lang))


async def on_details_done(update: Update, context: Ctx, _: DetailsDone) -> None:
    """「写好了」: then how to submit it, named or anonymous."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    found = await _form_at(update, context, ReportStep.DETAILS)
    if found is None:
        return
    outcome = form.details_done(found[1])
    if isinstance(outcome, Rejected):
        await _reject(update, context, outcome)
        return
    await flow_state.save(context, found[0], outcome.step, outcome.data)
    department = caller.member.department
    async with deps.db.read() as session:
        size = await department_size(session, department)
    small = deps.config.cases.small_department
    text, keyboard = identity_question(caller.lang, department=department, size=size, small=small)
    await say(update, context, text, keyboard)


async def on_identity(update: Update, context: Ctx, press: IdentityPress) -> None:
    """Named, anonymous or no follow-up: then the summary to confirm."""
    found = await _form_at(update, context, ReportStep.IDENTITY)
    if found is None:
        return
    outcome = form.choose_identity(found[1], press.identity)
    if isinstance(outcome, Rejected):
        await _reject(update, context, outcome)
        return
    await flow_state.save(context, found[0], outcome.step, outcome.data)
    await edit(update, *summary(outcome.data, context.caller.lang, context.deps.config.cases))


async def on_finish(update: Update, context: Ctx, press: ReportFinish) -> None:
    """Submit (once, however many taps) or drop the report."""
    caller, deps = context.caller, context.deps
    if not press.send:
        if await _form_at(update, context, ReportStep.CONFIRM):
            for flow in FORMS:
                await flow_state.end(context, flow)
            await edit(update, t(caller.lang, "report_cancelled"))
        return
    assert caller.member is not None
    async with deps.db.begin() as session:
        case = None
        for flow in FORMS:
            state = await flow.take(session, user_id=caller.telegram_id, step=ReportStep.CONFIRM)
            if state is not None:
                case = await file_report(
                    session,
                    reporter=caller.member,
                    draft=state.data,
                    now=deps.clock.now(),
                    config=deps.config,
                )
    if case is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    deps.delivery.wake()
    key = "report_sent" if case.follow_up else "report_sent_no_follow_up"
    await edit(update, t(caller.lang, key, id=case.id or 0, code=case.code))


async def on_mycases(update: Update, context: Ctx) -> None:
    """The member's own cases (anonymous ones too, until they close)."""
    caller = context.caller
    assert caller.member is not None
    async with context.deps.db.read() as session:
        mine = await own_cases(session, caller.member)
    if not mine:
        await say(update, context, t(caller.lang, "mycases_none"))
        return
    await say(
        update,
        context,
        t(caller.lang, "mycases_title"),
        own_list(mine, caller.lang, context.deps.config.cases),
    )


async def on_own_case(update: Update, context: Ctx, press: ReporterPress) -> None:
    """Open one's case, or start adding information to it."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    try:
        async with deps.db.begin() as session:
            if press.action == ReporterAction.OPEN:
                case, thread = await own_thread(session, press.case_id, caller.member)
            else:
                case = await may_add(session, press.case_id, member=caller.member, role=caller.role)
                await ADDITION.save(
                    session,
                    user_id=caller.telegram_id,
                    step=WrittenStep.TEXT,
                    data=Addition(case_id=press.case_id),
                    now=deps.clock.now(),
                )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    if press.action == ReporterAction.OPEN:
        await say(update, context, *own_case(case, thread, caller.lang, deps.config.cases))
        return
    prompt = t(caller.lang, to_reporter("case_add_prompt", case.kind), id=press.case_id)
    await say(update, context, prompt + "\n\n" + t(caller.lang, "cancel_hint"))


async def on_addition(
    update: Update, context: Ctx, state: FlowState[WrittenStep, Addition]
) -> None:
    """More information for one's case, relayed to the cadre handling it."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    text = words(content_of(update.effective_message))
    if isinstance(text, Rejected):
        await say(update, context, t(caller.lang, text.key))
        return
    try:
        async with deps.db.begin() as session:
            if not await ADDITION.take(session, user_id=caller.telegram_id, step=state.step):
                raise Refused("button_expired")
            case = await add_information(
                session,
                state.data.case_id,
                member=caller.member,
                role=caller.role,
                text=text,
                now=deps.clock.now(),
                config=deps.config,
            )
    except Refused as refused:
        await flow_state.end(context, ADDITION)
        await say(update, context, t(caller.lang, refused.key))
        return
    deps.delivery.wake()
    added = to_reporter(
        "case_added_chair" if case.status == CaseStatus.ESCALATED else "case_added", case.kind
    )
    await say(update, context, t(caller.lang, added, id=state.data.case_id))


async def on_rate(update: Update, context: Ctx, press: RatePress) -> None:
    """Satisfied closes the case; not satisfied reopens it (and they may say why)."""
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    try:
        async with deps.db.begin() as session:
            case = await rate(
                session,
                press.case_id,
                member=caller.member,
                role=caller.role,
                satisfied=press.satisfied,
                now=deps.clock.now(),
                config=deps.config,
            )
    except Refused as refused:
        await answer(update, context, t(caller.lang, refused.key), alert=True)
        return
    deps.delivery.wake()
    if press.satisfied:
        await edit(update, t(caller.lang, to_reporter("case_rated_yes", case.kind), id=case.id))
    else:
        text = t(caller.lang, to_reporter("case_rated_no", case.kind), id=press.case_id)
        await edit(update, text, reporter_keyboard(case, caller.lang))


async def on_case_code(update: Update, context: Ctx) -> None:
    """/case CODE: the status of a case, for a reporter who chose no follow-up. /case 3 (a
    number): case #3's card for a cadre; for a member, their own case #3 only."""
    caller = context.caller
    code = " ".join(context.args or []).strip()
    if not code:
        await say(update, context, t(caller.lang, "case_code_usage"))
        return
    async with context.deps.db.read() as session:
        case = await by_code(session, code)
    if case is not None:
        await say(update, context, code_status(case, caller.lang, context.deps.config.cases))
        return
    number = code.removeprefix("#")
    if not number.isdigit():
        await say(update, context, t(caller.lang, "case_code_unknown", code=code))
    elif caller.role >= Role.CADRE:
        await open_card(update, context, int(number))
    else:
        await _own_by_number(update, context, int(number))


async def _own_by_number(update: Update, context: Ctx, case_id: int) -> None:
    """A member's /case 3: their own case #3, never anyone else's."""
    caller, deps = context.caller, context.deps
    if caller.member is None:
        await say(update, context, t(caller.lang, "case_not_yours"))
        return
    try:
        async with deps.db.read() as session:
            case, thread = await own_thread(session, case_id, caller.member)
    except Refused as refused:
        await say(update, context, t(caller.lang, refused.key))
        return
    await say(update, context, *own_case(case, thread, caller.lang, deps.config.cases))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    member = Role.MEMBER
    return [
        command("report", on_report, role=member),
        command("suggest", on_suggest, role=member),
        command("mycases", on_mycases, role=member),
        command("case", on_case_code, role=Role.GUEST),
        button(CategoryPress, on_category, role=member, where="private"),
        button(DetailsDone, on_details_done, role=member, where="private"),
        button(IdentityPress, on_identity, role=member, where="private"),
        button(ReportFinish, on_finish, role=member, where="private"),
        button(ReporterPress, on_own_case, role=member, where="private"),
        button(RatePress, on_rate, role=member, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        FlowHandler(form.REPORT_FORM, on_details),
        FlowHandler(form.SUGGEST_FORM, on_details),
        FlowHandler(ADDITION, on_addition),
    ]
