"""活动: a real form (dates and times from pickers, places, deadline, guests, departments,
weekly) checked field by field, creating the activity and posting it to the groups; each
activity's roster with check-in, its export, and cancelling it — the chat's services."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.activities import manage, roster
from bot.activities.callbacks import ExportFormat
from bot.activities.form_fields import read_fields
from bot.activities.posts import Live, counts, preview, was_posted
from bot.activities.states import ACTIVITY_STATES, ActivityAction
from bot.activities.template import ActivityDraft
from bot.console.http import BadInput, Call, FieldErrors, answer
from bot.core.labels import label
from bot.core.telegram_html import plain
from bot.strings import t
from storage.models import Activity

WHEN = "%Y-%m-%d %H:%M"


def _live(call: Call) -> Live:
    deps = call.deps
    return Live(deps.config, call.now, deps.live_count_interval)


def _draft(call: Call, body: dict[str, Any]) -> ActivityDraft:
    config = call.deps.config
    fields = body.get("fields")
    if not isinstance(fields, dict):
        raise BadInput("console_bad_request")
    found = read_fields(
        fields, now=call.now, zone=config.union.zone, departments=config.union.departments
    )
    if isinstance(found, dict):
        raise FieldErrors({field: plain(t(call.lang, key)) for field, key in found.items()})
    return found


async def _summary(call: Call, activity: Activity) -> dict[str, Any]:
    zone = call.deps.config.union.zone
    assert activity.id is not None
    async with call.deps.db.read() as session:
        now = await counts(session, activity.id)
        posted = await was_posted(session, activity.id)
    return {
        "id": activity.id,
        "title": activity.title,
        "place": activity.place,
        "starts": activity.starts_at.astimezone(zone).strftime(WHEN),
        "deadline": activity.deadline.astimezone(zone).strftime(WHEN),
        "capacity": activity.capacity,
        "taken": now.taken,
        "waiting": now.waiting,
        "posted": posted,
        "status": plain(t(call.lang, label(activity.status))),
    }


async def activity_list(call: Call) -> web.Response:
    """Upcoming activities with their places taken and waiting lists."""
    async with call.deps.db.read() as session:
        found = await roster.upcoming(session, now=call.now)
    return answer({"activities": [await _summary(call, a) for a in found]})


async def activity_check(call: Call) -> web.Response:
    """The form checked: field errors, or the group post as it will look."""
    draft = _draft(call, await call.body())
    text = preview(draft, call.lang, call.deps.config.union.zone)
    return answer({"preview": plain(text)})


async def activity_create(call: Call) -> web.Response:
    """Create the activity (and post it to the bound groups of its departments if asked)."""
    body = await call.body()
    draft = _draft(call, body)
    caller = call.caller
    async with call.deps.db.begin() as session:
        activity = await manage.create(
            session,
            draft,
            author=caller.telegram_id,
            to_groups=bool(body.get("post")),
            role=caller.role,
            live=_live(call),
        )
    call.deps.delivery.wake()
    return answer(await _summary(call, activity))


async def activity_roster(call: Call) -> web.Response:
    """Who is going, waiting and checked in; whether check-in is open to cadres now."""
    caller = call.caller
    async with call.deps.db.read() as session:
        found = await roster.roster(session, call.id(), role=caller.role)
    activity = found.activity
    zone = call.deps.config.union.zone
    going = [
        {
            "signup": signup.id,
            "name": member.name,
            "department": member.department,
            "guests": signup.guests,
            "state": plain(t(call.lang, label(signup.state))),
            "checked_in": (
                signup.checked_in_at.astimezone(zone).strftime("%H:%M")
                if signup.checked_in_at
                else ""
            ),
        }
        for signup, member in found.going
    ]
    queue = [{"name": member.name, "department": member.department} for _, member in found.queue]
    manageable = ACTIVITY_STATES.allows(activity.status, ActivityAction.MANAGE, caller.role)
    summary = await _summary(call, activity)
    return answer(summary | {"going": going, "queue": queue, "manageable": manageable})


async def activity_checkin(call: Call) -> web.Response:
    """Check someone in (a second press changes nothing)."""
    signup = (await call.body()).get("signup")
    if not isinstance(signup, int):
        raise BadInput("console_bad_request")
    async with call.deps.db.begin() as session:
        await manage.mark_present(
            session, call.id(), signup, role=call.caller.role, live=_live(call)
        )
    return answer({"checked_in": signup})


async def activity_export(call: Call) -> web.Response:
    """The roster as XLSX or CSV (names that look like formulas made inert)."""
    try:
        file = ExportFormat(call.query("format") or "xlsx")
    except ValueError:
        raise BadInput("console_bad_request") from None
    async with call.deps.db.read() as session:
        data, name = await roster.export(
            session,
            call.id(),
            file,
            zone=call.deps.config.union.zone,
            role=call.caller.role,
            lang=call.lang,
        )
    kind = "text/csv" if file == ExportFormat.CSV else "application/octet-stream"
    return web.Response(
        body=data,
        content_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def activity_cancel(call: Call) -> web.Response:
    """Cancel the activity; everyone signed up or waiting is told once."""
    caller = call.caller
    async with call.deps.db.begin() as session:
        await manage.cancel(
            session, call.id(), actor=caller.telegram_id, role=caller.role, live=_live(call)
        )
    call.deps.delivery.wake()
    return answer({"cancelled": call.id()})
