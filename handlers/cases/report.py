"""/report and a reporter's own cases: /mycases, adding information, rating, /case CODE."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler

from bot.cases.service import CaseError, Identity, rate, reporter_adds, reporter_markup, submit
from bot.context import Ctx, FlowHandler
from bot.core.text_split import split_html
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.core.dialog_state import dialog_at, save_step
from handlers.core.guard import command, legacy_button
from handlers.core.legacy_flows import legacy
from handlers.core.replies import answer, edit, keyboard, say
from storage import cases, dialogs
from storage.models import Case, Dialog

FLOW = "report"
ADD_FLOW = "case_add"
PREVIEW = 300


class ReportStep(IntEnum):
    CATEGORY = 1
    DETAILS = 2
    IDENTITY = 3
    CONFIRM = 4


def attachment_of(message: Message | None) -> dict[str, Any] | None:
    if message is None:
        return None
    if message.photo:
        return {"kind": "photo", "file_id": message.photo[-1].file_id}
    if message.document:
        return {
            "kind": "document",
            "file_id": message.document.file_id,
            "name": message.document.file_name or "",
        }
    return None


async def _save(context: Ctx, step: ReportStep, data: dict[str, Any], flow: str = FLOW) -> None:
    await save_step(context, flow, step, data)


async def on_report(update: Update, context: Ctx) -> None:
    """Start a report: choose its category first."""
    lang, categories = context.caller.lang, context.deps.config.cases.categories
    await _save(context, ReportStep.CATEGORY, {})
    rows = [[(name, f"rp:cat:{i}")] for i, name in enumerate(categories)]
    await say(
        update,
        context,
        t(lang, "report_ask_category") + "\n\n" + t(lang, "cancel_hint"),
        keyboard(rows),
    )


async def on_suggest(update: Update, context: Ctx) -> None:
    """Start a suggestion (合理化建议): straight to what the member proposes."""
    lang = context.caller.lang
    await _save(
        context,
        ReportStep.DETAILS,
        {"kind": "suggestion", "category": t(lang, "suggestion_category")},
    )
    await say(update, context, t(lang, "suggest_ask") + "\n\n" + t(lang, "cancel_hint"))


async def on_report_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """What happened: text (several messages are joined), photos or documents."""
    lang, limit = context.caller.lang, context.deps.config.cases.max_text
    if dialog.step != ReportStep.DETAILS:
        await say(update, context, t(lang, "use_buttons"))
        return
    data = dict(dialog.data)
    message = update.effective_message
    attachment = attachment_of(message)
    typed = (message.text_html if message and message.text else None) or (
        message.caption_html if message and message.caption else None
    )
    if attachment is None and typed is None:
        await say(update, context, t(lang, "report_unsupported"))
        return
    text = (data.get("text", "") + "\n\n" + typed).strip() if typed else data.get("text", "")
    if len(text) > limit:
        await say(
            update, context, t(lang, "report_too_long", limit=limit, kept=len(data.get("text", "")))
        )
        return
    data["text"] = text
    if attachment is not None:
        data["attachments"] = [*data.get("attachments", []), attachment]
    await _save(context, ReportStep.DETAILS, data)
    await say(
        update,
        context,
        t(lang, "report_noted"),
        keyboard([[(t(lang, "btn_report_done"), "rp:done:1")]]),
    )


async def on_report_button(update: Update, context: Ctx) -> None:
    """Category, 'that's all', identity, send or cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, value = query.data.split(":")
    caller, deps = context.caller, context.deps
    lang = caller.lang
    expected = {
        "cat": ReportStep.CATEGORY,
        "done": ReportStep.DETAILS,
        "id": ReportStep.IDENTITY,
        "go": ReportStep.CONFIRM,
    }
    dialog = await dialog_at(update, context, FLOW, expected[kind])
    if dialog is None:
        return
    data = dict(dialog.data)
    categories = deps.config.cases.categories
    if kind == "cat":
        if not value.isdigit() or int(value) >= len(categories):
            await answer(update, context, t(lang, "button_expired"), alert=True)
            return
        data["category"] = categories[int(value)]
        await _save(context, ReportStep.DETAILS, data)
        await edit(update, t(lang, "report_ask_details", category=data["category"]))
    elif kind == "done":
        if not data.get("text", "").strip() and not data.get("attachments"):
            await answer(update, context, t(lang, "report_empty"), alert=True)
            return
        await _save(context, ReportStep.IDENTITY, data)
        await _ask_identity(update, context)
    elif kind == "id" and value in ("named", "anonymous", "no_follow_up"):
        data["identity"] = value
        await _save(context, ReportStep.CONFIRM, data)
        await _confirm(update, context, data)
    elif kind == "go":
        await _finish(update, context, data, value == "send")


async def _ask_identity(update: Update, context: Ctx) -> None:
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    lang = caller.lang
    async with deps.db.read() as session:
        size = await cases.department_size(session, caller.member.department)
    text: str = t(lang, "report_ask_identity")
    if size < deps.config.cases.small_department:
        text += "\n\n" + t(
            lang, "report_small_department", department=caller.member.department, size=size
        )
    rows = [
        [(t(lang, "btn_named"), "rp:id:named")],
        [(t(lang, "btn_anonymous"), "rp:id:anonymous")],
        [(t(lang, "btn_no_follow_up"), "rp:id:no_follow_up")],
    ]
    await say(update, context, text, keyboard(rows))


async def _confirm(update: Update, context: Ctx, data: dict[str, Any]) -> None:
    lang = context.caller.lang
    pieces = split_html(data.get("text", ""), PREVIEW) or [""]
    preview = Html(pieces[0] + ("…" if len(pieces) > 1 else ""))  # the member's own text, as HTML
    summary = t(
        lang,
        "report_summary",
        category=data["category"],
        text=preview,
        count=len(data.get("attachments", [])),
        identity=t(lang, f"identity_{data['identity']}"),
    )
    rows = [
        [(t(lang, "btn_report_send"), "rp:go:send"), (t(lang, "btn_notice_cancel"), "rp:go:cancel")]
    ]
    await edit(update, summary, keyboard(rows))


async def _finish(update: Update, context: Ctx, data: dict[str, Any], send: bool) -> None:
    caller, deps = context.caller, context.deps
    assert caller.member is not None
    lang = caller.lang
    async with deps.db.begin() as session:
        await dialogs.clear(session, user_id=caller.telegram_id)
        case = None
        if send:
            identity: Identity = data["identity"]
            case = await submit(
                session,
                reporter=caller.member,
                category=data["category"],
                text=data.get("text", ""),
                attachments=data.get("attachments", []),
                identity=identity,
                now=deps.clock.now(),
                config=deps.config,
                kind=data.get("kind", "grievance"),
            )
    if case is None:
        await edit(update, t(lang, "report_cancelled"))
        return
    deps.delivery.wake()
    key = "report_sent_no_follow_up" if not case.follow_up else "report_sent"
    await edit(update, t(lang, key, id=case.id or 0, code=case.code))


def _own(case: Case | None, context: Ctx) -> bool:
    member = context.caller.member
    return case is not None and member is not None and case.reporter_member_id == member.id


async def on_mycases(update: Update, context: Ctx) -> None:
    """The member's own cases (anonymous ones too, until they close)."""
    caller = context.caller
    assert caller.member is not None and caller.member.id is not None
    async with context.deps.db.read() as session:
        mine = await cases.of_reporter(session, caller.member.id)
    if not mine:
        await say(update, context, t(caller.lang, "mycases_none"))
        return
    rows = [
        [
            (
                t(
                    caller.lang,
                    "mycase_line",
                    id=c.id or 0,
                    category=c.category,
                    status=t(caller.lang, f"status_{c.status}"),
                ),
                f"cs:my:{c.id}",
            )
        ]
        for c in mine[:20]
    ]
    await say(update, context, t(caller.lang, "mycases_title"), keyboard(rows))


async def on_case_button(update: Update, context: Ctx) -> None:
    """Open one's case, add to it, or rate its handling."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    action, case_id = parts[1], int(parts[2])
    caller, deps = context.caller, context.deps
    lang = caller.lang
    async with deps.db.read() as session:
        case = await cases.get(session, case_id)
        thread = await cases.entries(session, case_id) if _own(case, context) else []
    if case is None or not _own(case, context):
        await answer(update, context, t(lang, "case_not_yours"), alert=True)
        return
    if action == "my":
        lines = [
            t(
                lang,
                "case_header",
                id=case.id or 0,
                category=case.category,
                status=t(lang, f"status_{case.status}"),
            ),
            case.text,
        ]
        lines += [
            t(lang, f"thread_{e.actor}", text=e.text)
            for e in thread
            if e.text and e.action in ("reply", "ask", "added_info", "resolve", "reject")
        ]
        await say(update, context, Html("\n\n".join(lines)), _markup(case, lang))
    elif action == "add":
        await _save(context, ReportStep.DETAILS, {"case_id": case_id}, flow=ADD_FLOW)
        await say(
            update,
            context,
            t(lang, "case_add_prompt", id=case_id) + "\n\n" + t(lang, "cancel_hint"),
        )
    elif action == "rate":
        try:
            async with deps.db.begin() as session:
                fresh = await cases.get(session, case_id)
                assert fresh is not None
                await rate(
                    session,
                    fresh,
                    satisfied=parts[3] == "1",
                    now=deps.clock.now(),
                    config=deps.config,
                )
        except CaseError as exc:
            await answer(update, context, t(lang, exc.key), alert=True)
            return
        deps.delivery.wake()
        if parts[3] == "1":
            await edit(update, t(lang, "case_rated_yes", id=case_id))
        else:  # the reporter may say why, in the same thread
            add = keyboard([[(t(lang, "btn_case_add"), f"cs:add:{case_id}")]])
            await edit(update, t(lang, "case_rated_no", id=case_id), add)


def _markup(case: Case, lang: Lang) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.de_json(
        reporter_markup(case, lang, rating=case.status == "resolved"), None
    )


async def on_add_message(update: Update, context: Ctx, dialog: Dialog) -> None:
    """More information for one's case, relayed to the cadre handling it."""
    caller, deps = context.caller, context.deps
    message = update.effective_message
    text = message.text_html if message is not None and message.text else None
    if not text:
        await say(update, context, t(caller.lang, "text_expected"))
        return
    case_id = int(dialog.data["case_id"])
    try:
        async with deps.db.begin() as session:
            case = await cases.get(session, case_id)
            if case is None or not _own(case, context):
                raise CaseError("case_not_yours")
            await reporter_adds(session, case, text=text, now=deps.clock.now(), config=deps.config)
            await dialogs.clear(session, user_id=caller.telegram_id)
    except CaseError as exc:
        async with deps.db.begin() as session:
            await dialogs.clear(session, user_id=caller.telegram_id)
        await say(update, context, t(caller.lang, exc.key))
        return
    deps.delivery.wake()
    await say(update, context, t(caller.lang, "case_added", id=case_id))


async def on_case_code(update: Update, context: Ctx) -> None:
    """/case CODE: the status of a case, for a reporter who chose no follow-up."""
    lang = context.caller.lang
    code = " ".join(context.args or []).strip()
    if not code:
        await say(update, context, t(lang, "case_code_usage"))
        return
    async with context.deps.db.read() as session:
        case = await cases.by_code(session, code)
    if case is None:
        await say(update, context, t(lang, "case_code_unknown", code=code))
        return
    await say(
        update,
        context,
        t(
            lang,
            "case_code_status",
            id=case.id or 0,
            category=case.category,
            status=t(lang, f"status_{case.status}"),
        ),
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("report", on_report, role=Role.MEMBER),
        command("suggest", on_suggest, role=Role.MEMBER),
        command("mycases", on_mycases, role=Role.MEMBER),
        command("case", on_case_code, role=Role.GUEST),
        legacy_button(
            r"^rp:(cat|done|id|go):(\w{1,12})$", on_report_button, role=Role.MEMBER, where="private"
        ),
        legacy_button(
            r"^cs:(my|add):(\d{1,12})$", on_case_button, role=Role.MEMBER, where="private"
        ),
        legacy_button(
            r"^cs:rate:(\d{1,12}):([01])$", on_case_button, role=Role.MEMBER, where="private"
        ),
    ]


def flows() -> list[FlowHandler[Any, Any]]:
    return [
        legacy(FLOW, Role.MEMBER, on_report_message, "cancel_done"),
        legacy(ADD_FLOW, Role.MEMBER, on_add_message, "cancel_done"),
    ]
