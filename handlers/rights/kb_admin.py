"""Cadres keeping the knowledge base: /kb (list, find, show, add, edit, retire, restore,
history), saving a consultation's answer from the case desk, and /kbstats."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from bot.context import Ctx, FlowHandler
from bot.rights import editor, stats
from bot.rights.entries import Entry, EntryError
from bot.rights.handoff import asked_as, cadre_answer, plain
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.core.dialog_state import save_step
from handlers.core.guard import command
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, say
from storage import cases, dialogs, members, rights
from storage.models import Dialog

EDIT_FLOW = "kb_edit"
FIND_LIMIT = 8


async def on_kb(update: Update, context: Ctx) -> None:
    """`/kb` with a subcommand; without one, how to use it."""
    args = context.args or []
    verb, rest = (args[0].lower(), " ".join(args[1:]).strip()) if args else ("", "")
    lang = context.caller.lang
    if verb == "list":
        await _list(update, context)
    elif verb == "find" and rest:
        await _find(update, context, rest)
    elif verb == "add":
        await _start_form(update, context, entry=None, action="add")
    elif verb in ("show", "edit", "history", "retire", "restore") and rest:
        await _on_entry(update, context, verb, rest.lower())
    else:
        await say(update, context, t(lang, "kb_usage"))


async def _list(update: Update, context: Ctx) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        entries = await deps.knowledge.all_entries(session)
    lines: list[str] = [t(lang, "kb_list_title", count=sum(not e.retired for e in entries))]
    lines += [_line(e, lang) for e in entries]
    await say(update, context, Html("\n".join(lines)))


def _line(entry: Entry, lang: Lang) -> str:
    key = "kb_line_retired" if entry.retired else "kb_line"
    return t(lang, key, id=entry.id, title=entry.title)


async def _find(update: Update, context: Ctx, text: str) -> None:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        hits = (await deps.knowledge.index(session)).search(text, limit=FIND_LIMIT).hits
    if not hits:
        await say(update, context, t(lang, "kb_find_none"))
        return
    await say(update, context, Html("\n".join(_line(h.entry, lang) for h in hits)))


async def _on_entry(update: Update, context: Ctx, verb: str, entry_id: str) -> None:
    caller, deps = context.caller, context.deps
    lang = caller.lang
    async with deps.db.read() as session:
        entry = await deps.knowledge.find(session, entry_id)
        revisions = await rights.history(session, entry_id)
        authors = {
            r.author_member_id: await members.get(session, r.author_member_id)
            for r in revisions
            if r.author_member_id is not None
        }
    if entry is None:
        await say(update, context, t(lang, "kb_unknown_entry", id=entry_id))
        return
    if verb == "show":
        status = t(lang, "kb_status_retired" if entry.retired else "kb_status_live")
        head = t(lang, "kb_show", id=entry.id, status=status, edits=len(revisions))
        await say(update, context, Html(head + "\n" + t(lang, "kb_form", form=editor.form(entry))))
    elif verb == "edit":
        await _start_form(update, context, entry=entry, action="edit")
    elif verb == "history":
        zone = deps.config.union.zone
        lines = [t(lang, "kb_history_title", id=entry.id)]
        for r in revisions:
            author = authors.get(r.author_member_id or 0)
            lines.append(
                t(
                    lang,
                    "kb_history_line",
                    at=r.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    action=t(lang, f"kb_action_{r.action}"),
                    who=author.name if author else "—",
                )
            )
        if not revisions:
            lines.append(t(lang, "kb_history_shipped"))
        await say(update, context, Html("\n".join(lines)))
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
    await say(
        update, context, t(caller.lang, "kb_retired" if retired else "kb_restored", id=entry_id)
    )


async def _start_form(
    update: Update,
    context: Ctx,
    *,
    entry: Entry | None,
    action: str,
    case_id: int | None = None,
    draft: str | None = None,
) -> None:
    lang = context.caller.lang
    entry_id = entry.id if entry is not None else editor.new_entry_id()
    await save_step(
        context, EDIT_FLOW, 0, {"entry_id": entry_id, "action": action, "case_id": case_id}
    )
    form = draft if draft is not None else editor.form(entry)
    text = t(lang, f"kb_form_{action}_intro", id=entry_id) + "\n" + t(lang, "kb_form", form=form)
    await say(
        update,
        context,
        Html(text + "\n\n" + t(lang, "kb_form_howto") + "\n" + t(lang, "cancel_hint")),
    )


async def start_from_case(update: Update, context: Ctx, case_id: int) -> None:
    """The desk's 「存入知识库」 on a consultation: the member's question and the cadre's
    answer, in the form, for the cadre to add the law it rests on and send back."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        case = await cases.get(session, case_id)
        written = await cadre_answer(session, case_id) if case else ""
        question = await rights.question_of_case(session, case_id)
    if case is None:
        await answer(update, context, t(lang, "case_unknown"), alert=True)
        return
    if not written:
        await answer(update, context, t(lang, "kb_reply_first"), alert=True)
        return
    asked = (asked_as(question) if question else []) or [" ".join(plain(case.text).split())]
    draft = "\n".join([*(f"问：{q}" for q in asked), f"答：{written}", "依据：", "标签："])
    await answer(update, context)
    await _start_form(update, context, entry=None, action="save", case_id=case_id, draft=draft)


async def on_form_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """The filled-in form: checked, then saved as a revision (kept forever)."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    if message is None or not message.text:
        await say(update, context, t(caller.lang, "text_expected"))
        return
    entry_id = str(dialog.data["entry_id"])
    action = str(dialog.data["action"])
    case_id = dialog.data.get("case_id")
    try:
        async with deps.db.begin() as session:
            base = await deps.knowledge.find(session, entry_id)
            if action == "edit" and base is None:
                raise EntryError("kb_unknown_entry", id=entry_id)
            entry = editor.parse(message.text, entry_id=entry_id, base=base)
            revision = await editor.save(
                session,
                entry,
                action="edit" if action == "edit" else "add",
                author_member_id=caller.member_id,
                now=deps.clock.now(),
                case_id=int(case_id) if case_id is not None else None,
            )
            await dialogs.clear(session, user_id=caller.telegram_id)
    except EntryError as exc:
        # The dialog stays: the cadre fixes the form and sends it again.
        await say(update, context, t(caller.lang, exc.key, **exc.params))
        return
    await say(update, context, t(caller.lang, "kb_saved", id=entry_id, revision=revision.id or 0))


async def on_kbstats(update: Update, context: Ctx) -> None:
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
    return [
        legacy(EDIT_FLOW, Role.CADRE, on_form_message, "cancel_done"),
    ]
