"""Cadres keeping the knowledge base: /kb (list, find, show, add, edit, retire, restore,
history), saving a consultation's answer from the case desk, and /kbstats."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.core.flow import Rejected
from bot.rights import editor, kb_desk, stats
from bot.rights.entries import Entry, EntryError
from bot.rights.kb_form import (
    KB_FORM,
    FormPurpose,
    State,
    case_form,
    form_message,
    open_form,
    save_form,
)
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command
from handlers.core.replies import answer, say

ENTRY_VERBS = frozenset({"show", "edit", "history", "retire", "restore"})


async def on_kb(update: Update, context: Ctx) -> None:
    """`/kb` with a subcommand; without one, how to use it."""
    args = context.args or []
    verb, rest = (args[0].lower(), " ".join(args[1:]).strip()) if args else ("", "")
    caller, deps = context.caller, context.deps
    if verb == "list":
        async with deps.db.read() as session:
            entries = await deps.knowledge.all_entries(session)
        await say(update, context, kb_desk.listing(entries, caller.lang))
    elif verb == "find" and rest:
        async with deps.db.read() as session:
            found = await kb_desk.find(session, deps.knowledge, rest, caller.lang)
        await say(update, context, found)
    elif verb == "add":
        await _start_form(update, context, None, FormPurpose.ADD)
    elif verb in ENTRY_VERBS and rest:
        await _on_entry(update, context, verb, rest.lower())
    else:
        await say(update, context, t(caller.lang, "kb_usage"))


async def _on_entry(update: Update, context: Ctx, verb: str, entry_id: str) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        found = await kb_desk.record(session, deps.knowledge, entry_id)
    if found is None:
        await say(update, context, t(lang, "kb_unknown_entry", id=entry_id))
    elif verb == "show":
        await say(update, context, kb_desk.shown(found, lang))
    elif verb == "edit":
        await _start_form(update, context, found.entry, FormPurpose.EDIT)
    elif verb == "history":
        await say(update, context, kb_desk.history(found, lang, deps.config.union.zone))
    else:
        await _retire(update, context, entry_id, retired=verb == "retire")


async def _retire(update: Update, context: Ctx, entry_id: str, *, retired: bool) -> None:
    caller, deps = context.caller, context.deps
    try:
        async with deps.db.begin() as session:
            await editor.set_retired(
                session,
                deps.knowledge,
                entry_id=entry_id,
                retired=retired,
                author_member_id=caller.member_id,
                now=deps.clock.now(),
            )
    except EntryError as exc:
        await say(update, context, t(caller.lang, exc.key, **exc.params))
        return
    key = "kb_retired" if retired else "kb_restored"
    await say(update, context, t(caller.lang, key, id=entry_id))


async def _start_form(
    update: Update,
    context: Ctx,
    entry: Entry | None,
    purpose: FormPurpose,
    *,
    case_id: int | None = None,
    filled: str | None = None,
) -> None:
    """Put the cadre in the form and send it to them to copy, fill in and send back."""
    caller, deps = context.caller, context.deps
    async with deps.db.begin() as session:
        draft = await open_form(
            session,
            telegram_id=caller.telegram_id,
            entry=entry,
            purpose=purpose,
            now=deps.clock.now(),
            case_id=case_id,
        )
    form = filled if filled is not None else editor.form(entry)
    await say(update, context, form_message(draft, form, caller.lang))


async def start_from_case(update: Update, context: Ctx, case_id: int) -> None:
    """The desk's 「存入知识库」 on a consultation: the member's question and the cadre's
    answer, in the form, for the cadre to add the law it rests on and send back."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        filled = await case_form(session, case_id)
    if isinstance(filled, Rejected):
        await answer(update, context, t(lang, filled.key, **filled.params), alert=True)
        return
    await answer(update, context)
    await _start_form(update, context, None, FormPurpose.SAVE, case_id=case_id, filled=filled)


async def on_form_message(update: Update, context: Ctx, state: State) -> None:
    """The filled-in form: checked, then saved as a revision (kept forever)."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    if message is None or not message.text:
        await say(update, context, t(caller.lang, "text_expected"))
        return
    try:
        async with deps.db.begin() as session:
            revision = await save_form(
                session,
                deps.knowledge,
                state,
                message.text,
                telegram_id=caller.telegram_id,
                author_member_id=caller.member_id,
                now=deps.clock.now(),
            )
    except EntryError as exc:
        # The conversation stays: the cadre fixes the form and sends it again.
        await say(update, context, t(caller.lang, exc.key, **exc.params))
        return
    if revision is None:
        await say(update, context, t(caller.lang, "conversation_expired"))
        return
    entry_id = state.data.entry_id
    await say(update, context, t(caller.lang, "kb_saved", id=entry_id, revision=revision.id or 0))


async def on_kbstats(update: Update, context: Ctx) -> None:
    """What members ask most, what found no good answer, and which answers help."""
    deps = context.deps
    async with deps.db.read() as session:
        text = await stats.report(
            session, deps.knowledge, lang=context.caller.lang, now=deps.clock.now()
        )
    await say(update, context, text)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("kb", on_kb, role=Role.CADRE),
        command("kbstats", on_kbstats, role=Role.CADRE),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [FlowHandler(KB_FORM, on_form_message)]
