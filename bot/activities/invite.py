"""An activity as a calendar invitation (.ics), attached to the private confirmation of a
place and to the news that the activity moved or was cancelled.

The UID is the same for every file about one activity, so a calendar updates its entry
rather than adding a second; SEQUENCE is how many times the activity was changed (each
edit or cancellation is logged), so the newest file wins; a cancellation is METHOD:CANCEL.
Times carry the union's timezone (with its VTIMEZONE). Telegram-free."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.delivery.outgoing import Upload
from storage.models import Activity

PRODUCT = "-//Union Bridge//Activities//ZH"


def uid(activity: Activity) -> str:
    return f"activity-{activity.id}@union-bridge"


def invitation(
    activity: Activity,
    *,
    zone: ZoneInfo,
    sequence: int,
    stamp: datetime,
    cancelled: bool = False,
) -> bytes:
    """The activity as an iCalendar file: PUBLISH (add or update it) or CANCEL."""
    # Imported here: icalendar costs the bot ~3 MB from start, and only sign-ups need it.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid(activity))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", activity.starts_at.astimezone(zone))
    event.add("dtend", activity.ends_at.astimezone(zone))
    event.add("summary", activity.title)
    if activity.place:
        event.add("location", activity.place)
    if activity.description:
        event.add("description", activity.description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def attachment(
    activity: Activity,
    *,
    zone: ZoneInfo,
    sequence: int,
    stamp: datetime,
    cancelled: bool = False,
) -> Upload:
    data = invitation(activity, zone=zone, sequence=sequence, stamp=stamp, cancelled=cancelled)
    return Upload(f"activity-{activity.id}.ics", data)
