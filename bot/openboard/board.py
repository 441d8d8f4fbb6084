"""The open board (公开栏): what the union did this year with its money and its members'
problems, gathered for /open and the monthly post. Telegram-free; reads only.

No name is ever gathered: care and aid are counted by kind, cases by category, suggestions
by number (their text only once it was published to the groups), votes by option; counts
too small to be anonymous are hidden by the views (bot.openboard.figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.care.kinds import CareEvent
from bot.care.visits import CareStats, care_stats
from bot.config import Config
from bot.core.telegram_html import plain
from bot.openboard.figures import CategoryRow, case_rows, excerpt, redact
from bot.roles import Role
from bot.votes.results import Standing, overview
from storage import groups, open_board
from storage.models import Case, OpenItem
from storage.statuses import CaseEntryAction, CaseKind, CaseStatus

ADOPTED = (CaseStatus.ADOPTED, CaseStatus.PUBLISHED)
SUGGESTIONS_SHOWN = 10


@dataclass(frozen=True)
class Decision:
    """A suggestion decided this year: its number, whether it was adopted, its words if they
    were published to the groups, and the cadre's reason for declining it."""

    case_id: int
    adopted: bool
    text: str
    reason: str


@dataclass
class Board:
    year: int
    care: CareStats
    caps: dict[str, int]
    aid_granted: int
    aid_amount: int
    cases: list[CategoryRow]
    adopted: int = 0
    declined: int = 0
    decisions: list[Decision] = field(default_factory=list)
    votes: list[Standing] = field(default_factory=list)
    items: list[OpenItem] = field(default_factory=list)


def year_start(now: datetime, zone: ZoneInfo) -> datetime:
    return datetime(now.astimezone(zone).year, 1, 1, tzinfo=zone)


async def gather(session: AsyncSession, *, now: datetime, config: Config) -> Board:
    """This year's board as of `now`."""
    since = year_start(now, config.union.zone)
    care = await care_stats(session, since=since)
    hardship = await open_board.cases_since(session, kinds=[CaseKind.HARDSHIP], since=since)
    grievances = await open_board.cases_since(session, kinds=[CaseKind.GRIEVANCE], since=since)
    board = Board(
        year=since.year,
        care=care,
        caps=dict(config.care.caps),
        aid_granted=sum(
            1
            for case in hardship
            if case.status == CaseStatus.APPROVED
            and case.resolved_at is not None
            and case.resolved_at >= since
        ),
        aid_amount=care.spent[CareEvent.HARDSHIP],
        cases=case_rows(grievances, since=since, now=now, min_count=config.open.min_count),
        votes=[
            standing
            for standing in await overview(session, now=now, role=Role.MEMBER, closed_since=since)
            if standing.counts is not None
        ],
        items=await open_board.shown_items(session, now=now),
    )
    await _suggestions(session, board, since=since)
    return board


async def _suggestions(session: AsyncSession, board: Board, *, since: datetime) -> None:
    found = await open_board.cases_since(session, kinds=[CaseKind.SUGGESTION], since=since)
    decided = [
        case
        for case in found
        if case.status in (*ADOPTED, CaseStatus.DECLINED) and case.id is not None
    ]
    board.adopted = sum(1 for case in decided if case.status in ADOPTED)
    board.declined = len(decided) - board.adopted
    shown = decided[-SUGGESTIONS_SHOWN:]
    entries = await open_board.decisions(
        session, [case.id for case in shown if case.id], actions=[CaseEntryAction.DECLINE]
    )
    reasons = {entry.case_id: plain(entry.text or "") for entry in entries}
    words = await open_board.people_words(session)
    codes = [case.code for case in found]
    board.decisions = [_decision(case, reasons, words, codes) for case in shown]


def _decision(case: Case, reasons: dict[int, str], words: list[str], codes: list[str]) -> Decision:
    assert case.id is not None

    def clean(text: str) -> str:
        return excerpt(redact(text, words=words, codes=codes, hidden="＊＊"))

    published = case.status == CaseStatus.PUBLISHED
    return Decision(
        case_id=case.id,
        adopted=case.status in ADOPTED,
        text=clean(plain(case.text)) if published else "",
        reason=clean(reasons.get(case.id, "")),
    )


async def board_for_chat(
    session: AsyncSession, *, chat_id: int | None, now: datetime, config: Config
) -> Board | None:
    """The board for a private chat (chat_id None) or a bound group; None in a group that
    serves no department (the board belongs to the union's own groups)."""
    if chat_id is not None:
        group = await groups.get(session, chat_id)
        if group is None or group.department is None:
            return None
    return await gather(session, now=now, config=config)
