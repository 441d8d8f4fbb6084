"""/casestats: case figures for cadres, with a chart and an XLSX export."""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from collections.abc import Callable

from telegram import InputFile, Update
from telegram.ext import BaseHandler

from bot.cases.stats import chart_png, compute, everything, export_xlsx
from bot.context import Ctx
from bot.core.telegram_html import plain
from bot.roles import Role
from bot.strings import Html, Lang, t
from handlers.core.guard import command
from handlers.core.replies import say


def _hours(value: float | None, lang: Lang) -> str:
    """「3.5 小时」, or 「暂无」 while nothing has got that far."""
    return t(lang, "stats_none") if value is None else t(lang, "stats_hours", hours=f"{value:.1f}")


def _section(lang: Lang, head: str, counts: Counter[str], name: Callable[[str], str]) -> list[str]:
    """A headed list (by category, by department), or nothing when nothing is open."""
    if not counts:
        return []
    lines = [t(lang, "stats_line", name=name(k), count=v) for k, v in counts.most_common()]
    return ["", t(lang, head), *lines]


async def on_casestats(update: Update, context: Ctx) -> None:
    """Open and overdue cases by category and department, medians, satisfaction, chart, export."""
    lang, deps = context.caller.lang, context.deps
    async with deps.db.read() as session:
        found, reporters = await everything(session)
    stats = compute(found, now=deps.clock.now())
    opened = sum(stats.open_by_category.values())
    category = functools.partial(deps.config.cases.category_name, lang=lang)
    lines = [
        t(
            lang,
            "stats_head",
            total=stats.total,
            open=opened,
            overdue=stats.overdue,
            ack=Html(_hours(stats.median_ack_hours, lang)),
            resolve=Html(_hours(stats.median_resolve_hours, lang)),
            satisfaction=(
                t(lang, "stats_satisfaction", satisfied=stats.satisfied, rated=stats.rated)
                if stats.rated
                else t(lang, "stats_none")  # nobody has rated a case yet
            ),
        ),
        *_section(lang, "stats_by_category", stats.open_by_category, category),
        *_section(lang, "stats_by_department", stats.open_by_department, str),
    ]
    await say(update, context, "\n".join(lines))
    chat = update.effective_chat
    assert chat is not None
    # Drawing and writing the workbook are CPU work: off the event loop.
    png = await asyncio.to_thread(
        chart_png,
        stats,
        title=plain(t(lang, "stats_chart_title")),
        empty=plain(t(lang, "stats_none")),
        name=category,
    )
    caption = t(lang, "stats_chart_caption", open=opened, overdue=stats.overdue)
    await context.bot.send_photo(chat.id, InputFile(png, filename="cases.png"), caption=caption)
    workbook = await asyncio.to_thread(
        export_xlsx, found, reporters, zone=deps.config.union.zone, lang=lang, category=category
    )
    await context.bot.send_document(
        chat.id, InputFile(workbook, filename="cases.xlsx"), caption=t(lang, "stats_export")
    )


def handlers() -> list[BaseHandler[Update, Ctx, None]]:
    return [command("casestats", on_casestats, role=Role.CADRE)]
