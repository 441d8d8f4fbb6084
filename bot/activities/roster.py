"""The cadres' roster: upcoming activities to pick from, who is going, waiting and checked
in, the buttons the tables allow, and the exports (Telegram-free)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.activities.callbacks import (
    AttendPress,
    CancelPress,
    EditPress,
    ExportFormat,
    ExportPress,
    RemovePress,
    RosterPress,
)
from bot.activities.roster_files import to_csv, to_xlsx
from bot.activities.states import (
    ACTIVITY_STATES,
    HOLDING,
    SIGNUP_STATES,
    ActivityAction,
    SignupAction,
    check_activity,
)
from bot.core.keyboard import Button, Keyboard
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import Html, Lang, t
from storage import activities
from storage.models import Activity, Member, Signup
from storage.statuses import SignupState

MOST_BUTTONS = 20  # rows of people under one roster (Telegram allows 100 buttons)


@dataclass(frozen=True)
class Roster:
    activity: Activity
    going: list[tuple[Signup, Member]]  # confirmed or offered
    queue: list[tuple[Signup, Member]]


async def upcoming(session: AsyncSession, *, now: datetime) -> list[Activity]:
    return await activities.upcoming(session, now=now, limit=20)


def picker(found: list[Activity], lang: Lang) -> Keyboard:
    return Keyboard.column(
        [
            Button(t(lang, "roster_pick_item", id=a.id or 0, title=a.title), RosterPress(a.id or 0))
            for a in found
        ]
    )


async def _readable(session: AsyncSession, activity_id: int, role: Role) -> Activity:
    activity = await activities.get(session, activity_id)
    if activity is None:
        raise Refused("act_unknown")
    check_activity(activity.status, ActivityAction.ROSTER, role)
    return activity


async def roster(session: AsyncSession, activity_id: int, *, role: Role) -> Roster:
    activity = await _readable(session, activity_id, role)
    going = await activities.signups(session, activity_id, states=HOLDING)
    queue = await activities.signups(session, activity_id, states=(SignupState.WAITLISTED,))
    return Roster(activity, going, queue)


def _mark(signup: Signup) -> str:
    if signup.checked_in_at:
        return "✅"
    return "⏳" if signup.state == SignupState.OFFERED else "·"


def roster_text(found: Roster, lang: Lang) -> Html:
    activity = found.activity
    present = sum(1 for s, _ in found.going if s.checked_in_at)
    lines = [
        t(
            lang,
            "roster_head",
            id=activity.id or 0,
            title=activity.title,
            going=len(found.going),
            places=sum(1 + signup.guests for signup, _ in found.going),
            queued=len(found.queue),
            present=present,
        )
    ]
    lines += [
        t(lang, "roster_line", name=m.name, department=m.department, guests=s.guests, mark=_mark(s))
        for s, m in found.going
    ]
    lines += [
        t(lang, "roster_queue", position=n, name=m.name) for n, (_, m) in enumerate(found.queue, 1)
    ]
    return Html("\n".join(lines))


def _people(found: Roster, lang: Lang, role: Role) -> list[list[Button]]:
    """✅ / ✖ for each person not yet checked in, as the sign-up table allows."""
    activity_id = found.activity.id or 0
    if not ACTIVITY_STATES.allows(found.activity.status, ActivityAction.MANAGE, role):
        return []
    rows = []
    for signup, member in found.going:
        allowed = SIGNUP_STATES.available(signup.state, role)
        signup_id = signup.id or 0
        row = []
        if signup.checked_in_at is None and SignupAction.MARK_PRESENT in allowed:
            row.append(
                Button(
                    t(lang, "btn_roster_present", name=member.name),
                    AttendPress(activity_id, signup_id),
                )
            )
        if signup.checked_in_at is None and SignupAction.REMOVE in allowed:
            row.append(
                Button(
                    t(lang, "btn_roster_remove", name=member.name),
                    RemovePress(activity_id, signup_id),
                )
            )
        if row:
            rows.append(row)
    return rows[:MOST_BUTTONS]


def roster_keyboard(found: Roster, lang: Lang, role: Role) -> Keyboard:
    """The people's buttons, the exports, and changing or cancelling the activity — each
    only where the tables allow it."""
    activity = found.activity
    activity_id = activity.id or 0
    allowed = ACTIVITY_STATES.available(activity.status, role)
    rows = _people(found, lang, role)
    if ActivityAction.ROSTER in allowed:
        rows.append(
            [
                Button(t(lang, "btn_act_csv"), ExportPress(activity_id, ExportFormat.CSV)),
                Button(t(lang, "btn_act_xlsx"), ExportPress(activity_id, ExportFormat.XLSX)),
            ]
        )
    last = []
    if ActivityAction.EDIT in allowed:
        last.append(Button(t(lang, "btn_act_edit"), EditPress(activity_id)))
    if ActivityAction.CANCEL in allowed:
        last.append(Button(t(lang, "btn_act_cancel"), CancelPress(activity_id)))
    rows.append(last)
    return Keyboard.of(rows)


async def export(
    session: AsyncSession,
    activity_id: int,
    file: ExportFormat,
    *,
    zone: ZoneInfo,
    role: Role,
    lang: Lang = "zh",
) -> tuple[bytes, str]:
    """The roster as a file in the reader's language (everyone signed up, offered or
    waiting) and its name."""
    await _readable(session, activity_id, role)
    entries = await activities.signups(
        session,
        activity_id,
        states=(SignupState.CONFIRMED, SignupState.OFFERED, SignupState.WAITLISTED),
    )
    data = (to_csv if file == ExportFormat.CSV else to_xlsx)(entries, zone, lang)
    return data, f"activity-{activity_id}.{file.value}"


async def attendance(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[tuple[Activity, int, int]]:
    """Activities starting in a period: (activity, places held, checked in)."""
    return await activities.attendance(session, start=start, end=end)
