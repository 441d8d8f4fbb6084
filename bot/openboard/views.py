"""How the open board reads, in the member's language: each section's lines, every count
through the small-number rule, and a cadre's withdraw buttons. Telegram-free."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.care.kinds import KINDS, CareEvent
from bot.core.keyboard import Button, Keyboard
from bot.openboard.board import Board, Decision
from bot.openboard.callbacks import WithdrawPress
from bot.openboard.figures import Count, mask
from bot.openboard.items import ITEM_STATES, ItemAction, last_day
from bot.roles import Role
from bot.strings import Html, Lang, t
from bot.votes.results import Standing
from storage.models import OpenItem

DATE = "%Y-%m-%d"


def _items(items: list[OpenItem], lang: Lang, zone: ZoneInfo) -> list[Html]:
    if not items:
        return []
    lines = [t(lang, "open_items_head")]
    for item in items:
        end = last_day(item.ends_at, zone).strftime(DATE)
        start = item.starts_at.astimezone(zone).strftime(DATE)
        lines.append(
            t(lang, "open_item_line", id=item.id or 0, text=item.text, start=start, end=end)
        )
    return lines


def _care(board: Board, lang: Lang, least: int) -> list[Html]:
    lines = [t(lang, "open_care_head")]
    for kind in CareEvent:
        if kind == CareEvent.HARDSHIP:
            continue  # aid has its own section
        visits, name = board.care.visits[kind], t(lang, KINDS[kind])
        if Count.of(visits, least).hidden:
            lines.append(t(lang, "open_care_hidden", kind=name, visits=mask(visits, least)))
            continue
        spent, cap = board.care.spent[kind], board.caps.get(kind, 0)
        lines.append(t(lang, "open_care_line", kind=name, visits=visits, spent=spent, cap=cap))
        if over := board.care.over_cap[kind]:
            lines.append(t(lang, "open_care_over_cap", count=mask(over, least)))
    return lines


def _aid(board: Board, lang: Lang, least: int) -> list[Html]:
    lines = [t(lang, "open_aid_head")]
    granted, paid = board.aid_granted, board.care.visits[CareEvent.HARDSHIP]
    if not granted and not paid:
        return [*lines, t(lang, "open_aid_none")]
    if Count.of(granted, least).hidden or Count.of(paid, least).hidden:
        return [*lines, t(lang, "open_aid_hidden", count=mask(granted, least))]
    return [*lines, t(lang, "open_aid_line", count=granted, amount=board.aid_amount)]


def _cases(board: Board, lang: Lang, least: int, named: Callable[[str], str]) -> list[Html]:
    lines = [t(lang, "open_cases_head")]
    if not board.cases:
        return [*lines, t(lang, "open_cases_none")]
    for row in board.cases:
        if Count.of(row.received, least).hidden:
            hidden = t(lang, "open_case_hidden", category=named(row.category), count=f"<{least}")
            lines.append(hidden)
            continue
        days = t(lang, "open_days", days=row.median_days) if row.median_days is not None else None
        lines.append(
            t(
                lang,
                "open_case_line",
                category=named(row.category),
                received=mask(row.received, least),
                resolved=mask(row.resolved, least),
                days=days or t(lang, "open_days_none"),
            )
        )
    return lines


def _decision(decision: Decision, lang: Lang) -> Html:
    if decision.adopted:
        if decision.text:
            return t(lang, "open_suggestion_adopted_text", id=decision.case_id, text=decision.text)
        return t(lang, "open_suggestion_adopted", id=decision.case_id)
    if decision.reason:
        return t(lang, "open_suggestion_declined", id=decision.case_id, reason=decision.reason)
    return t(lang, "open_suggestion_declined_plain", id=decision.case_id)


def _vote(standing: Standing, lang: Lang, least: int) -> Html:
    vote, counts = standing.vote, standing.counts or []
    if Count.of(standing.turnout, least).hidden:
        return t(lang, "open_vote_hidden", question=vote.question)
    results = t(lang, "open_vote_sep").join(
        t(lang, "open_vote_option", option=option, count=count)
        for option, count in zip(vote.options, counts, strict=False)
    )
    return t(
        lang,
        "open_vote_line",
        question=vote.question,
        turnout=standing.turnout,
        electorate=standing.electorate,
        results=Html(results),
    )


def board_text(
    board: Board,
    lang: Lang,
    *,
    union: str,
    zone: ZoneInfo,
    now: datetime,
    least: int,
    category: Callable[[str], str] = str,
) -> Html:
    """The whole board: 公示 items first, then care, aid, cases, suggestions and votes;
    `category` names a case category in `lang`."""
    date = now.astimezone(zone).strftime(DATE)
    lines = [t(lang, "open_title", union=union, year=board.year, date=date, min=least)]
    lines += _items(board.items, lang, zone)
    lines += _care(board, lang, least)
    lines += _aid(board, lang, least)
    lines += _cases(board, lang, least, category)
    lines.append(t(lang, "open_suggestions_head", adopted=board.adopted, declined=board.declined))
    lines += [_decision(decision, lang) for decision in board.decisions]
    if board.votes:
        lines.append(t(lang, "open_votes_head"))
        lines += [_vote(standing, lang, least) for standing in board.votes]
    return Html("\n".join(lines))


def withdraw_keyboard(items: list[OpenItem], lang: Lang, role: Role) -> Keyboard:
    """Under a cadre's /open: one 撤下 button per item on the board."""
    return Keyboard.column(
        [
            Button(
                t(lang, "btn_open_withdraw", id=item.id or 0), WithdrawPress(item_id=item.id or 0)
            )
            for item in items
            if ItemAction.WITHDRAW in ITEM_STATES.available(item.status, role)
        ]
    )
