"""/receipts: how far each notice got, per department, and who has not confirmed."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.context import Ctx
from bot.notices.service import DepartmentReceipt, receipts, remind, summary_line
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.core.guard import command, legacy_button
from handlers.core.replies import answer, edit, keyboard, say
from storage import notices
from storage.models import Notice

RECENT = 8
NAMES_SHOWN = 40


def _department_block(entry: DepartmentReceipt, lang: Lang) -> str:
    lines: list[str] = [
        t(
            lang,
            "receipt_department",
            department=entry.department or t(lang, "word_unbound"),
            delivered=entry.delivered,
            failed=entry.failed,
            waiting=entry.waiting,
            confirmed=entry.confirmed,
            audience=entry.audience,
        )
    ]
    for code, count in sorted(entry.failures.items()):
        lines.append(t(lang, "receipt_failure", reason=t(lang, f"reason_{code}"), count=count))
    if entry.unconfirmed:
        shown = "、".join(entry.unconfirmed[:NAMES_SHOWN])
        more = len(entry.unconfirmed) - NAMES_SHOWN
        lines.append(
            t(lang, "receipt_unconfirmed", names=shown)
            + (t(lang, "receipt_more", count=more) if more > 0 else "")
        )
    return "\n".join(lines)


async def _detail(context: Ctx, notice: Notice) -> tuple[Html, InlineKeyboardMarkup]:
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        entries = await receipts(session, notice)
    head = summary_line(notice, lang, deps.config.union.zone)
    blocks = [_department_block(entry, lang) for entry in entries] or [t(lang, "receipt_empty")]
    missing = sum(len(entry.unconfirmed) for entry in entries)
    rows = [[(t(lang, "btn_refresh"), f"rc:show:{notice.id}")]]
    if notice.require_ack and missing:
        rows.insert(0, [(t(lang, "btn_remind_now", count=missing), f"rc:remind:{notice.id}")])
    return Html(head + "\n\n" + "\n\n".join(blocks)), keyboard(rows)


async def on_receipts(update: Update, context: Ctx) -> None:
    """List recent notices; each button opens its receipt."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        recent = await notices.recent(session, limit=RECENT)
    if not recent:
        await say(update, context, t(lang, "receipts_none"))
        return
    rows = [[(summary_line(n, lang, deps.config.union.zone), f"rc:open:{n.id}")] for n in recent]
    await say(update, context, t(lang, "receipts_title"), keyboard(rows))


async def on_receipt_button(update: Update, context: Ctx) -> None:
    """Open a notice's receipt (a new message), refresh it in place, or remind the unconfirmed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, raw_id = query.data.split(":")
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        notice = await notices.get(session, int(raw_id))
    if notice is None or notice.status not in (notices.SENDING, notices.SENT):
        await answer(update, context, t(lang, "button_expired"), alert=True)
        return
    if action == "remind":
        union = deps.config.union
        async with deps.db.begin() as session:
            fresh = await notices.get(session, int(raw_id))
            assert fresh is not None
            count = await remind(
                session, fresh, now=deps.clock.now(), zone=union.zone, union=union.name
            )
        deps.delivery.wake()
        await answer(update, context, t(lang, "reminders_queued", count=count), alert=True)
    text, markup = await _detail(context, notice)
    if action == "open":
        await say(update, context, text, markup)
    else:
        await edit(update, text, markup)


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [
        command("receipts", on_receipts, role=Role.CADRE),
        legacy_button(
            r"^rc:(open|show|remind):(\d{1,12})$",
            on_receipt_button,
            role=Role.CADRE,
            where="private",
        ),
    ]
