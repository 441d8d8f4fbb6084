"""/casestats: case figures for cadres, with a chart and an XLSX export."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.cases.stats import chart_png, compute, everything, export_xlsx
from bot.context import Ctx
from bot.roles import Role
from bot.strings import t
from handlers.core.guard import command
from handlers.core.replies import say


def _hours(value: float | None, none: str) -> str:
    return none if value is None else f"{value:.1f}"


async def on_casestats(update: Update, context: Ctx) -> None:
    """Open and overdue cases by category and department, medians, satisfaction, chart, export."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        found, reporters = await everything(session)
    stats = compute(found, now=deps.clock.now())
    none = t(lang, "word_none")
    lines = [
        t(
            lang,
            "stats_head",
            total=stats.total,
            open=sum(stats.open_by_category.values()),
            overdue=stats.overdue,
            ack=_hours(stats.median_ack_hours, none),
            resolve=_hours(stats.median_resolve_hours, none),
            satisfied=stats.satisfied,
            rated=stats.rated,
        )
    ]
    lines += [
        t(lang, "stats_line", name=k, count=v) for k, v in stats.open_by_category.most_common()
    ]
    lines += [
        t(lang, "stats_line", name=k, count=v) for k, v in stats.open_by_department.most_common()
    ]
    await say(update, context, "\n".join(lines))
    chat = update.effective_chat
    assert chat is not None
    # Drawing and writing the workbook are CPU work: off the event loop.
    png = await asyncio.to_thread(chart_png, stats, title=t(lang, "stats_chart_title"), empty=none)
    await context.bot.send_photo(
        chat.id, InputFile(png, filename="cases.png"), caption=t(lang, "stats_chart_title")
    )
    workbook = await asyncio.to_thread(
        export_xlsx,
        found,
        reporters,
        zone=deps.config.union.zone,
        anonymous=t(lang, "case_anonymous"),
    )
    await context.bot.send_document(
        chat.id, InputFile(workbook, filename="cases.xlsx"), caption=t(lang, "stats_export")
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [command("casestats", on_casestats, role=Role.CADRE)]
