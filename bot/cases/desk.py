"""The cadres' desk: the inbox lists and the case card — the current status, who took each
step and when, and the buttons the case's table allows this cadre. Telegram-free.

An anonymous case's card never names its reporter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.callbacks import AssignPress, DeskList, DeskListPress, DeskPress
from bot.cases.labels import BUTTONS, DESK_STEP, LISTS, RATINGS, STEPS
from bot.cases.moves import allowed
from bot.cases.states import CaseAction, desk_rows
from bot.cases.views import clip
from bot.category_names import category_label
from bot.config import Config
from bot.core.keyboard import Button, Keyboard
from bot.core.labels import label
from bot.roles import Role
from bot.strings import Html, Lang, t
from storage import cases, members
from storage.cases import FINISHED, OPEN
from storage.models import Case, CaseEntry, Member
from storage.statuses import CaseActor, CaseEntryAction

TEXT_SHOWN = 1000
STEP_SHOWN = 160
STEPS_SHOWN = 12
WHEN = "%m-%d %H:%M"


@dataclass(frozen=True)
class Card:
    """One case as its card shows it: the case, its thread and the names it mentions."""

    case: Case
    thread: list[CaseEntry]
    names: dict[int, str]


async def inbox(
    session: AsyncSession, which: str, *, now: datetime, config: Config
) -> tuple[DeskList, list[Case]]:
    """`/cases` with its argument: open (default), overdue, done, a category or a department."""
    if which == DeskList.OVERDUE:
        return DeskList.OVERDUE, await cases.inbox(session, statuses=OPEN, overdue_at=now)
    if which == DeskList.DONE:
        return DeskList.DONE, await cases.inbox(session, statuses=FINISHED)
    if which in config.cases.categories:
        return DeskList.OPEN, await cases.inbox(session, statuses=OPEN, category=which)
    if which in config.union.departments:
        return DeskList.OPEN, await cases.inbox(session, statuses=OPEN, department=which)
    return DeskList.OPEN, await cases.inbox(session, statuses=OPEN)


def inbox_view(which: DeskList, found: Sequence[Case], lang: Lang) -> tuple[Html, Keyboard]:
    """The list's title, one button per case opening its card, then the other lists."""
    head = t(lang, "desk_title", which=t(lang, LISTS[which]))
    text = head if found else Html(head + "\n" + t(lang, "desk_empty"))
    rows = [
        [
            Button(
                t(
                    lang,
                    "desk_line",
                    id=case.id or 0,
                    category=category_label(case.category, lang),
                    department=case.department,
                    status=t(lang, label(case.status)),
                ),
                DeskPress(action=CaseAction.VIEW, case_id=case.id or 0),
            )
        ]
        for case in found
    ]
    rows.append([Button(t(lang, LISTS[other]), DeskListPress(which=other)) for other in DeskList])
    return text, Keyboard.of(rows)


async def load_card(session: AsyncSession, case_id: int, *, role: Role) -> Card:
    """The case and what its card needs (Refused unless this role may open it)."""
    case = await allowed(session, case_id, CaseAction.VIEW, role)
    thread = await cases.entries(session, case_id)
    wanted = {entry.cadre_member_id for entry in thread} | {case.assignee_member_id}
    if not case.anonymous:
        wanted.add(case.reporter_member_id)
    found = [await members.get(session, member_id) for member_id in wanted if member_id]
    return Card(case, thread, {m.id: m.name for m in found if m is not None and m.id})


def card_view(card: Card, lang: Lang, *, zone: ZoneInfo, role: Role) -> tuple[Html, Keyboard]:
    """The card's text and the buttons this cadre may press from the case's status."""
    case = card.case
    assert case.id is not None
    reporter = None if case.anonymous else card.names.get(case.reporter_member_id or 0)
    kind, category = t(lang, label(case.kind)), category_label(case.category, lang)
    # A consultation's category is its kind (权益咨询): said once.
    what = kind if category == kind else t(lang, "desk_case_what", kind=kind, category=category)
    head = t(
        lang,
        "desk_case",
        id=case.id,
        what=what,
        department=case.department,
        who=reporter or t(lang, "case_anonymous"),
        status=t(lang, label(case.status)),
        assignee=card.names.get(case.assignee_member_id or 0) or t(lang, "word_unassigned"),
        due=case.resolve_due.astimezone(zone).strftime(WHEN),
    )
    steps = [_step(entry, card.names, lang, zone) for entry in card.thread[-STEPS_SHOWN:]]
    text = Html("\n\n".join([head, clip(case.text, TEXT_SHOWN), "\n".join(steps)]))
    return text, desk_keyboard(case, lang, role)


def _step(entry: CaseEntry, names: dict[int, str], lang: Lang, zone: ZoneInfo) -> str:
    """One step of the thread: when, who (a cadre by name, the reporter never), what."""
    what = t(lang, STEPS[entry.action])
    who = names.get(entry.cadre_member_id or 0) or t(lang, "desk_someone")
    line = t(
        lang,
        DESK_STEP[entry.actor],
        at=entry.at.astimezone(zone).strftime(WHEN),
        who=who if entry.actor == CaseActor.CADRE else "",
        action=what,
    )
    if entry.action == CaseEntryAction.RATED and entry.text in RATINGS:
        return line + t(lang, "desk_step_text", text=t(lang, RATINGS[entry.text]))
    if entry.text:
        return line + t(lang, "desk_step_text", text=clip(entry.text, STEP_SHOWN))
    return line


def desk_keyboard(case: Case, lang: Lang, role: Role) -> Keyboard:
    assert case.id is not None
    case_id = case.id
    return Keyboard.of(
        [
            [
                Button(t(lang, BUTTONS[action]), DeskPress(action=action, case_id=case_id))
                for action in row
            ]
            for row in desk_rows(case.kind, case.status, role)
        ]
    )


def picker_view(case_id: int, cadres: Sequence[Member], lang: Lang) -> tuple[Html, Keyboard]:
    """Whom to assign the case to; 「返回」 goes back to the card."""
    rows = [
        [Button(cadre.name, AssignPress(case_id=case_id, cadre_id=cadre.id))] for cadre in cadres
    ]
    rows.append([Button(t(lang, "btn_back"), AssignPress(case_id=case_id))])
    return t(lang, "desk_pick_cadre", id=case_id), Keyboard.of(rows)
