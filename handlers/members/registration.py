"""/start and the profile form: registration, and the one-field edits /me starts."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.clock import local_today
from bot.context import Ctx, FlowHandler
from bot.members.profile_form import (
    Accepted,
    Rejected,
    Step,
    accept_choice,
    accept_text,
    missing_for_confirm,
    next_step,
)
from bot.members.profiles import (
    columns_from_draft,
    complete_registration,
    draft_from_member,
    starting_draft,
)
from bot.roles import Role
from bot.strings import Html, Lang, normalise_lang, t
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, edit, say
from handlers.members.profile_view import confirm_keyboard, profile_keyboard, prompt, summary
from storage import dialogs, members
from storage.models import Dialog

REGISTER = "register"
EDIT = "edit"
FORM_FLOWS = frozenset({REGISTER, EDIT})


def _lang(draft: dict[str, Any], fallback: Lang) -> Lang:
    return normalise_lang(draft.get("language"), fallback)


async def on_start(update: Update, context: Ctx) -> None:
    """Welcome a registered member back, or start (or resume) registration."""
    caller, deps = context.caller, context.deps
    if caller.member is not None and caller.member.registered_at is not None:
        await say(update, context, t(caller.lang, "welcome_back", name=caller.member.name))
        return
    user = update.effective_user
    now = deps.clock.now()
    async with deps.db.begin() as session:
        current = await dialogs.get(session, caller.telegram_id)
        if current is not None and current.flow == REGISTER:
            step, draft = Step(current.step), dict(current.data)
        else:
            draft = await starting_draft(
                session, telegram_id=caller.telegram_id, username=user.username if user else None
            )
            draft.setdefault("language", caller.lang)
            if draft.get("department") not in deps.config.union.departments:
                draft.pop("department", None)  # the roster's department no longer exists
            step = (
                (missing_for_confirm(draft) or Step.CONFIRM)
                if draft.get("roster_id")
                else Step.NAME
            )
            await dialogs.put(
                session, user_id=caller.telegram_id, flow=REGISTER, step=step, data=draft, now=now
            )
    lang = _lang(draft, caller.lang)
    intro = t(
        lang,
        "welcome_roster" if draft.get("roster_id") else "welcome_new",
        union=deps.config.union.name,
    )
    await _ask(update, context, step, draft, lang, lead=intro)


async def _ask(
    update: Update, context: Ctx, step: Step, draft: dict[str, Any], lang: Lang, *, lead: str = ""
) -> None:
    """Send the question for a step (or the summary to confirm), after an optional lead line."""
    markup: InlineKeyboardMarkup | None
    if step == Step.CONFIRM:
        text, markup = (
            t(lang, "confirm_intro", summary=Html(summary(draft, lang))),
            confirm_keyboard(lang),
        )
    else:
        text, markup = prompt(step, lang, departments=context.deps.config.union.departments)
    await say(update, context, f"{lead}\n\n{text}" if lead else text, markup)


async def on_form_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """A typed answer (or a sticker, photo, …) for the step the user is on."""
    message = update.effective_message
    text = message.text if message is not None else None
    union = context.deps.config.union
    outcome: Accepted | Rejected = (
        Rejected("text_expected")
        if text is None
        else accept_text(
            Step(dialog.step),
            text,
            departments=union.departments,
            today=local_today(context.deps.clock, union.zone),
        )
    )
    await _apply(update, context, dialog, outcome)


async def on_form_button(update: Update, context: Ctx) -> None:
    """A button of the profile form: department, skip birthday, yes/no, language, confirm."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, value = query.data.split(":")
    caller = context.caller
    async with context.deps.db.read() as session:
        dialog = await dialogs.get(session, caller.telegram_id)
    if dialog is None or dialog.flow not in FORM_FLOWS:
        await answer(update, context, t(caller.lang, "button_expired"), alert=True)
        return
    if kind == "redo":
        await _restart(update, context, dialog)
        return
    departments = context.deps.config.union.departments
    outcome = accept_choice(Step(dialog.step), kind, value, departments=departments)
    if isinstance(outcome, Rejected) and outcome.key == "button_expired":
        await answer(
            update, context, t(_lang(dialog.data, caller.lang), "button_expired"), alert=True
        )
        return
    await _apply(update, context, dialog, outcome)


async def _restart(update: Update, context: Ctx, dialog: Dialog) -> None:
    lang = _lang(dialog.data, context.caller.lang)
    draft: dict[str, Any] = {
        key: dialog.data[key] for key in ("roster_id", "language") if key in dialog.data
    }
    draft["start_over"] = True
    async with context.deps.db.begin() as session:
        await dialogs.put(
            session,
            user_id=dialog.user_id,
            flow=REGISTER,
            step=Step.NAME,
            data=draft,
            now=context.deps.clock.now(),
        )
    await _ask(update, context, Step.NAME, draft, lang)


async def _apply(
    update: Update, context: Ctx, dialog: Dialog, outcome: Accepted | Rejected
) -> None:
    caller, deps = context.caller, context.deps
    step, draft = Step(dialog.step), dict(dialog.data)
    if isinstance(outcome, Rejected):
        lang = _lang(draft, caller.lang)
        await _ask(update, context, step, draft, lang, lead=t(lang, outcome.key, **outcome.params))
        return
    draft.update(outcome.updates)
    lang = _lang(draft, caller.lang)
    if dialog.flow == EDIT:
        await _save_edit(update, context, outcome.updates, lang)
        return
    if step == Step.CONFIRM:
        await _finish_registration(update, context, draft, lang)
        return
    # A roster draft asks only for what it lacks (unless the member chose to start over).
    if draft.get("roster_id") and not draft.get("start_over"):
        following = missing_for_confirm(draft) or Step.CONFIRM
    else:
        following = next_step(step, draft)
    async with deps.db.begin() as session:
        await dialogs.put(
            session,
            user_id=caller.telegram_id,
            flow=REGISTER,
            step=following,
            data=draft,
            now=deps.clock.now(),
        )
    await _ask(update, context, following, draft, lang)


async def _finish_registration(
    update: Update, context: Ctx, draft: dict[str, Any], lang: Lang
) -> None:
    caller, deps = context.caller, context.deps
    user = update.effective_user
    async with deps.db.begin() as session:
        await complete_registration(
            session,
            telegram_id=caller.telegram_id,
            username=user.username if user else None,
            draft=draft,
            now=deps.clock.now(),
        )
        await dialogs.clear(session, user_id=caller.telegram_id)
    if update.callback_query is not None:
        await edit(update, t(lang, "confirm_intro", summary=Html(summary(draft, lang))))
    await say(update, context, t(lang, "registered", name=draft.get("name", "")))


async def _save_edit(update: Update, context: Ctx, updates: dict[str, Any], lang: Lang) -> None:
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        member = await members.get_by_telegram_id(session, caller.telegram_id)
        await dialogs.clear(session, user_id=caller.telegram_id)
        if member is None:
            text = t(lang, "register_first")
        else:
            await members.update(
                session, member, now=deps.clock.now(), **columns_from_draft(updates)
            )
            text = t(lang, "profile_saved", summary=Html(summary(draft_from_member(member), lang)))
    await say(update, context, text, profile_keyboard(lang) if member is not None else None)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("start", on_start, role=Role.GUEST),
        legacy_button(
            r"^pf:(dept|skip|share|year|lang|ok|redo):(\w{1,3})$", on_form_button, role=Role.GUEST
        ),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(REGISTER, Role.GUEST, on_form_message, "cancel_registration"),
        legacy(EDIT, Role.MEMBER, on_form_message, "cancel_done"),
    ]
