"""看板: this month at a glance — open and overdue cases by category, notice confirmation
rates, activity attendance, care spending against the caps, members registered against the
roster — as numbers, and as SVG charts drawn on the server by the chat's chart module."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.activities.roster import attendance
from bot.care.kinds import KINDS, CareEvent
from bot.care.visits import care_stats
from bot.cases.board import open_by_category
from bot.console.http import Call, answer
from bot.core.charts import Series, bars_svg
from bot.core.telegram_html import plain
from bot.members.directory import roster_counts
from bot.notices import audience
from bot.notices.receipts import summary_line
from bot.strings import t

RED, GREY, BLUE = "#c0392b", "#9aa7b1", "#2a7ab8"


@dataclass(frozen=True)
class Chart:
    """A chart's labels, series and title, from the month's figures."""

    labels: tuple[str, ...]
    series: tuple[Series, ...]
    title: str


def month(call: Call) -> tuple[datetime, datetime]:
    """This month in the union's time: its first instant and the next month's."""
    local = call.now.astimezone(call.deps.config.union.zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=32)).replace(day=1)


async def figures(call: Call) -> dict[str, Any]:
    """The month's numbers, each a list of rows the page and the charts share."""
    deps, lang = call.deps, call.lang
    start, end = month(call)
    zone, caps = deps.config.union.zone, deps.config.care.caps
    named = deps.config.cases.category_name
    async with deps.db.read() as session:
        cases = await open_by_category(session, now=call.now)
        sent = await audience.released_between(session, start=start, end=end)
        totals = await audience.totals(session, [n.id for n in sent if n.id is not None])
        held = await attendance(session, start=start, end=end)
        care = await care_stats(session, since=start)
        roster = await roster_counts(session)
    notices = []
    for notice in sent:
        people, confirmed = totals.get(notice.id or 0, (0, 0))
        title = plain(summary_line(notice, lang, zone))
        notices.append({"title": title, "ack": notice.require_ack, "audience": people,
                        "confirmed": confirmed})  # fmt: skip
    return {
        "month": start.strftime("%Y-%m"),
        "cases": [
            {"category": plain(named(c, lang)), "open": n, "overdue": late} for c, n, late in cases
        ],
        "notices": notices,
        "activities": [
            {"title": a.title, "going": going, "present": came} for a, going, came in held
        ],
        "care": [
            {
                "kind": plain(t(lang, KINDS[kind])),
                "visits": care.visits[kind],
                "spent": care.spent[kind],
                "allowed": care.visits[kind] * caps.get(kind, 0),
            }
            for kind in CareEvent
        ],
        "care_pending": care.pending,
        "members": [
            {"department": d, "roster": total, "registered": done}
            for d, (total, done) in sorted(roster.items())
        ],
    }


async def dashboard(call: Call) -> web.Response:
    """The month's numbers; the page loads each chart from dashboard_chart."""
    return answer(await figures(call) | {"charts": list(CHARTS)})


def _cases(data: dict[str, Any], call: Call) -> Chart:
    rows = data["cases"]
    return Chart(
        tuple(r["category"] for r in rows),
        ((plain(t(call.lang, "console_chart_open")), tuple(r["open"] for r in rows), GREY),
         (plain(t(call.lang, "console_chart_overdue")), tuple(r["overdue"] for r in rows), RED)),
        plain(t(call.lang, "console_chart_cases")),
    )  # fmt: skip


def _notices(data: dict[str, Any], call: Call) -> Chart:
    rows = [r for r in data["notices"] if r["ack"] and r["audience"]]
    rates = tuple(round(100 * r["confirmed"] / r["audience"]) for r in rows)
    return Chart(
        tuple(r["title"][:16] for r in rows),
        ((plain(t(call.lang, "console_chart_rate")), tuple(float(v) for v in rates), BLUE),),
        plain(t(call.lang, "console_chart_notices")),
    )


def _activities(data: dict[str, Any], call: Call) -> Chart:
    rows = data["activities"]
    return Chart(
        tuple(r["title"][:16] for r in rows),
        ((plain(t(call.lang, "console_chart_going")), tuple(r["going"] for r in rows), GREY),
         (plain(t(call.lang, "console_chart_present")), tuple(r["present"] for r in rows), BLUE)),
        plain(t(call.lang, "console_chart_activities")),
    )  # fmt: skip


def _care(data: dict[str, Any], call: Call) -> Chart:
    rows = data["care"]
    return Chart(
        tuple(r["kind"] for r in rows),
        ((plain(t(call.lang, "console_chart_allowed")), tuple(r["allowed"] for r in rows), GREY),
         (plain(t(call.lang, "console_chart_spent")), tuple(r["spent"] for r in rows), RED)),
        plain(t(call.lang, "console_chart_care")),
    )  # fmt: skip


def _members(data: dict[str, Any], call: Call) -> Chart:
    rows = data["members"]
    return Chart(
        tuple(r["department"] for r in rows),
        ((plain(t(call.lang, "console_chart_roster")), tuple(r["roster"] for r in rows), GREY),
         (plain(t(call.lang, "console_chart_registered")), tuple(r["registered"] for r in rows),
          BLUE)),
        plain(t(call.lang, "console_chart_members")),
    )  # fmt: skip


CHARTS = {
    "cases": _cases,
    "notices": _notices,
    "activities": _activities,
    "care": _care,
    "members": _members,
}


async def dashboard_chart(call: Call) -> web.Response:
    """One of the month's charts as SVG (drawn off the event loop; the same figures are
    drawn once)."""
    draw = CHARTS.get(call.request.match_info.get("name", ""))
    if draw is None:
        raise web.HTTPNotFound()
    chart = draw(await figures(call), call)
    body = await asyncio.to_thread(bars_svg, chart.labels, chart.series, title=chart.title)
    return web.Response(
        body=body, content_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )
