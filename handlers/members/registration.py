"""/start and the profile form: registration, and the answers to /me's one-field edits."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.clock import local_today
from bot.context import Ctx, FlowHandler
from bot.core.flow import Flow, Rejected, conversation_of
from bot.members import profile_form as form
from bot.members.callbacks import (
    ConfirmPress,
    DepartmentChoice,
    LanguageChoice,
    RedoPress,
    ShareChoice,
    SkipBirthday,
    YearChoice,
)
from bot.members.profile_form import (
    PROFILE_EDIT,
    REGISTRATION,
    Outcome,
    ProfileDraft,
    ProfileStep,
    State,
    draft_lang,
)
from bot.members.profile_view import confirm_text, profile_keyboard, question, summary
from bot.members.profiles import begin_registration, complete_registration, draft_from_member
from bot.members.profiles import save_edit as save_profile_edit
from bot.roles import Role
from bot.strings import t
from handlers.core import flow_state
from handlers.core.guard import button, command, opened_from_group
from handlers.core.replies import answer, edit, say

Form = Flow[ProfileStep, ProfileDraft]


async def on_start(update: Update, context: Ctx) -> None:
    """Welcome a registered member back, or start (or resume) registration."""
    caller, deps = context.caller, context.deps
    if caller.member is not None and caller.member.registered_at is not None:
        # Opened from a group's deep link (/start report): go straight to that command.
        target = opened_from_group(context.args[0]) if context.args else None
        if target is not None:
            await target(update, context)
            return
        await say(update, context, t(caller.lang, "welcome_back", name=caller.member.name))
        return
    user = update.effective_user
    union = deps.config.union
    async with deps.db.begin() as session:
        state = await begin_registration(
            session,
            telegram_id=caller.telegram_id,
            username=user.username if user else None,
            lang=caller.lang,
            departments=union.departments,
            now=deps.clock.now(),
        )
    lang = draft_lang(state.data, caller.lang)
    intro = "welcome_roster" if state.data.roster_id is not None else "welcome_new"
    text, keyboard = question(state.step, state.data, lang, union=union)
    await say(update, context, t(lang, intro, union=union.name) + "\n\n" + text, keyboard)


async def on_register_message(update: Update, context: Ctx, state: State) -> None:
    """A typed answer (or a sticker, photo, …) while registering."""
    await _typed(update, context, REGISTRATION, state)


async def on_edit_message(update: Update, context: Ctx, state: State) -> None:
    """A typed answer to a one-field edit."""
    await _typed(update, context, PROFILE_EDIT, state)


async def _typed(update: Update, context: Ctx, flow: Form, state: State) -> None:
    message = update.effective_message
    union = context.deps.config.union
    outcome = form.give_text(
        state,
        message.text if message is not None else None,
        departments=union.departments,
        today=local_today(context.deps.clock, union.zone),
    )
    await _advance(update, context, flow, state, outcome, typed=True)


async def _form(update: Update, context: Ctx, step: ProfileStep) -> tuple[Form, State] | None:
    """The profile form the caller is in (registering or editing) if a button of `step` may
    act on it; otherwise the button has expired and the caller is told so."""
    caller = context.caller
    async with context.deps.db.read() as session:
        dialog = await conversation_of(session, caller.telegram_id)
    for flow in (REGISTRATION, PROFILE_EDIT):
        state = flow.restore(dialog)
        if state is not None and state.step == step and caller.role >= flow.role:
            return flow, state
    await answer(update, context, t(caller.lang, "button_expired"), alert=True)
    return None


async def on_department(update: Update, context: Ctx, press: DepartmentChoice) -> None:
    departments = context.deps.config.union.departments
    if found := await _form(update, context, ProfileStep.DEPARTMENT):
        flow, state = found
        outcome = form.choose_department(state, press.index, departments)
        await _advance(update, context, flow, state, outcome)


async def on_skip_birthday(update: Update, context: Ctx, _: SkipBirthday) -> None:
    if found := await _form(update, context, ProfileStep.BIRTHDAY):
        flow, state = found
        await _advance(update, context, flow, state, form.skip_birthday(state))


async def on_share(update: Update, context: Ctx, press: ShareChoice) -> None:
    if found := await _form(update, context, ProfileStep.SHARE):
        flow, state = found
        await _advance(update, context, flow, state, form.choose_share(state, press.share))


async def on_year(update: Update, context: Ctx, press: YearChoice) -> None:
    if found := await _form(update, context, ProfileStep.HIDE_YEAR):
        flow, state = found
        await _advance(update, context, flow, state, form.choose_year(state, press.hide))


async def on_language(update: Update, context: Ctx, press: LanguageChoice) -> None:
    if found := await _form(update, context, ProfileStep.LANGUAGE):
        flow, state = found
        outcome = form.choose_language(state, press.language)
        await _advance(update, context, flow, state, outcome)


async def on_redo(update: Update, context: Ctx, _: RedoPress) -> None:
    """Start the registration over from the name."""
    if found := await _form(update, context, ProfileStep.CONFIRM):
        flow, state = found
        await _advance(update, context, flow, state, form.start_over(state))


async def _advance(
    update: Update, context: Ctx, flow: Form, state: State, outcome: Outcome, *, typed: bool = False
) -> None:
    """Say what the outcome means: the next question, the edit saved, or the reason and the
    same question again."""
    caller = context.caller
    if isinstance(outcome, Rejected):
        lang = draft_lang(state.data, caller.lang)
        hint = t(lang, outcome.key, **outcome.params)
        if not typed:
            await answer(update, context, hint, alert=True)
            return
        text, keyboard = question(state.step, state.data, lang, union=context.deps.config.union)
        await say(update, context, f"{hint}\n\n{text}", keyboard)
        return
    if flow is PROFILE_EDIT:
        await _save_edit(update, context, state.step, outcome.data)
        return
    await flow_state.save(context, flow, outcome.step, outcome.data)
    lang = draft_lang(outcome.data, caller.lang)
    text, keyboard = question(outcome.step, outcome.data, lang, union=context.deps.config.union)
    await say(update, context, text, keyboard)


async def _save_edit(update: Update, context: Ctx, step: ProfileStep, draft: ProfileDraft) -> None:
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        member = await save_profile_edit(
            session, telegram_id=caller.telegram_id, step=step, draft=draft, now=deps.clock.now()
        )
    lang = draft_lang(draft, caller.lang)
    if member is None:  # the edit ended a moment ago (a second tap, another instance)
        if update.callback_query is not None:
            await answer(update, context, t(lang, "button_expired"), alert=True)
        else:
            await say(update, context, t(lang, "conversation_expired"))
        return
    text = t(
        lang,
        "profile_saved",
        summary=summary(draft_from_member(member), lang, context.deps.config.union),
    )
    await say(update, context, text, profile_keyboard(lang))


async def on_confirm(update: Update, context: Ctx, _: ConfirmPress) -> None:
    """Save the registration (once: a second press in flight finds it already saved)."""
    caller, deps = context.caller, context.deps
    user = update.effective_user
    async with deps.db.begin() as session:
        draft = await complete_registration(
            session,
            telegram_id=caller.telegram_id,
            username=user.username if user else None,
            now=deps.clock.now(),
        )
    if draft is None:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    lang = draft_lang(draft, caller.lang)
    await edit(
        update, confirm_text(draft, lang, context.deps.config.union)
    )  # the summary stays; its buttons go
    await say(update, context, t(lang, "registered", name=draft.name or ""))


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("start", on_start, role=Role.GUEST),
        button(DepartmentChoice, on_department, role=Role.GUEST, where="private"),
        button(SkipBirthday, on_skip_birthday, role=Role.GUEST, where="private"),
        button(ShareChoice, on_share, role=Role.GUEST, where="private"),
        button(YearChoice, on_year, role=Role.GUEST, where="private"),
        button(LanguageChoice, on_language, role=Role.GUEST, where="private"),
        button(ConfirmPress, on_confirm, role=Role.GUEST, where="private"),
        button(RedoPress, on_redo, role=Role.GUEST, where="private"),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        FlowHandler(REGISTRATION, on_register_message),
        FlowHandler(PROFILE_EDIT, on_edit_message),
    ]
