"""Secret-ballot votes: the form, casting (one eligible member, one vote), closing with
turnout, quorum and results. Telegram-free; announcements go through the outbox."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.form import FormError
from bot.config import Config
from bot.core.when import WhenError, parse_when
from bot.strings import Lang, normalise_lang, t
from storage import groups, outbox, votes
from storage.models import Member, Vote
from storage.statuses import VoteStatus

FIELDS = {
    "问题": "question",
    "question": "question",
    "选项": "options",
    "options": "options",
    "范围": "departments",
    "departments": "departments",
    "开始": "opens",
    "opens": "opens",
    "结束": "closes",
    "closes": "closes",
    "法定人数": "quorum",
    "quorum": "quorum",
}


def parse_vote_form(text: str, *, now: datetime, config: Config) -> dict[str, Any] | FormError:
    """Vote fields from the template, or the first problem and its line."""
    values: dict[str, str] = {}
    for raw in unicodedata.normalize("NFKC", text).splitlines():
        key, sep, value = raw.partition(":")
        if sep and (field := FIELDS.get(key.strip().lower())):
            values[field] = value.strip()
    question = values.get("question", "")
    if not question or len(question) > 200:
        return FormError("vote_bad_question", "问题")
    options = [o.strip() for o in re.split(r"[、,，/]+", values.get("options", "")) if o.strip()]
    if (
        not 2 <= len(options) <= 8
        or len(set(options)) != len(options)
        or any(len(o) > 24 for o in options)
    ):
        return FormError("vote_bad_options", "选项")
    zone = config.union.zone
    opens = (
        now
        if values.get("opens", "现在") in ("现在", "now", "")
        else parse_when(values["opens"], now=now, zone=zone)
    )
    closes = parse_when(values.get("closes", ""), now=now, zone=zone)
    if isinstance(opens, WhenError):
        return FormError("vote_bad_time", "开始")
    if isinstance(closes, WhenError) or closes <= opens:
        return FormError("vote_bad_time", "结束")
    departments: list[str] | None = None
    if values.get("departments", "全部") not in ("全部", "all", ""):
        departments = [
            d.strip() for d in re.split(r"[、,，\s]+", values["departments"]) if d.strip()
        ]
        if any(d not in config.union.departments for d in departments):
            return FormError("act_bad_departments", "范围")
    quorum = values.get("quorum", "").rstrip("%")
    if quorum and (not quorum.isdigit() or not 1 <= int(quorum) <= 100):
        return FormError("vote_bad_quorum", "法定人数")
    return {
        "question": question,
        "options": options,
        "departments": departments,
        "opens_at": opens,
        "closes_at": closes,
        "quorum_percent": int(quorum) if quorum else None,
    }


def eligible(vote: Vote, member: Member) -> bool:
    return vote.departments is None or member.department in vote.departments


async def cast(
    session: AsyncSession, *, vote_id: int, member: Member, option: int, now: datetime
) -> str:
    """One registered, eligible member, one vote. Returns cast, already, closed, not_eligible."""
    vote = await votes.lock(session, vote_id)
    if vote is None or vote.status != VoteStatus.OPEN or not vote.opens_at <= now < vote.closes_at:
        return "closed"
    if not eligible(vote, member) or not 0 <= option < len(vote.options):
        return "not_eligible"
    assert member.id is not None
    if await votes.has_voted(session, vote_id=vote_id, member_id=member.id):
        return "already"
    await votes.cast(session, vote_id=vote_id, member_id=member.id, option=option)
    return "cast"


def ballot_markup(vote: Vote) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": o, "callback_data": f"vt:cast:{vote.id}:{i}"}]
            for i, o in enumerate(vote.options)
        ]
    }


async def announce(session: AsyncSession, vote: Vote, *, now: datetime, config: Config) -> int:
    """Each eligible member gets the ballot privately."""
    assert vote.id is not None
    rows = []
    for member in await votes.electorate(session, vote):
        if member.telegram_id is None or not member.active:
            continue
        lang = normalise_lang(member.language)
        text = t(
            lang,
            "vote_ballot",
            question=vote.question,
            closes=vote.closes_at.astimezone(config.union.zone).strftime("%m-%d %H:%M"),
        )
        rows.append(
            {
                "key": f"vote:{vote.id}:ballot:{member.id}",
                "kind": "vote",
                "chat_id": member.telegram_id,
                "member_id": member.id,
                "payload": {"parts": [{"text": text}], "markup": ballot_markup(vote)},
            }
        )
    return await outbox.enqueue(session, rows, now=now)


def results_text(vote: Vote, counts: list[int], turnout: int, electorate: int, lang: Lang) -> str:
    lines = [
        t(lang, "vote_results_head", question=vote.question, turnout=turnout, electorate=electorate)
    ]
    total = sum(counts) or 1
    lines += [
        t(lang, "vote_results_line", option=o, count=c, percent=round(100 * c / total))
        for o, c in zip(vote.options, counts, strict=True)
    ]
    if vote.quorum_percent is not None:
        met = electorate and turnout * 100 >= vote.quorum_percent * electorate
        lines.append(
            t(lang, "vote_quorum_met" if met else "vote_quorum_missed", quorum=vote.quorum_percent)
        )
    return "\n".join(lines)


async def close_due(session: AsyncSession, *, now: datetime, config: Config) -> int:
    """Close votes whose time is up and tell the result to the groups of their departments."""
    queued = 0
    for vote in await votes.due_to_close(session, now=now):
        assert vote.id is not None
        vote.status = VoteStatus.CLOSED
        session.add(vote)
        lang = config.union.default_language
        text = results_text(
            vote,
            await votes.tallies(session, vote.id),
            await votes.turnout(session, vote.id),
            len(await votes.electorate(session, vote)),
            lang,
        )
        rows = [
            {
                "key": f"vote:{vote.id}:results:chat:{g.chat_id}",
                "kind": "vote",
                "chat_id": g.chat_id,
                "payload": {"parts": [{"text": text}]},
            }
            for g in await groups.bound(session, departments=vote.departments)
        ]
        queued += await outbox.enqueue(session, rows, now=now)
    return queued
