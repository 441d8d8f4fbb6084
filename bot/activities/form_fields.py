"""The console's activity form, read field by field (Telegram-free, pure): the same draft the
chat's template gives, or a catalogue key next to every field that will not do, so a cadre
sees all the problems at once and loses nothing typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.activities.template import ActivityDraft
from bot.core.when import MAX_AHEAD

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}$")
TITLE_MAX = 64
PLACE_MAX = 64
DESCRIPTION_MAX = 2000


def _date(raw: object) -> date | None:
    text = str(raw or "").strip()
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _time(raw: object) -> time | None:
    text = str(raw or "").strip()
    if not _TIME.match(text):
        return None
    hour, minute = int(text[:2]), int(text[3:])
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _number(raw: object, low: int, high: int, *, blank: int | None) -> int | str | None:
    """The number typed, `blank` for nothing typed, or "bad"."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return blank
    if not text.isdigit() or not low <= int(text) <= high:
        return "bad"
    return int(text)


def _moments(
    values: Mapping[str, object], errors: dict[str, str], now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime, datetime] | None:
    day = _date(values.get("date"))
    start, end = _time(values.get("start")), _time(values.get("end"))
    if day is None:
        errors["date"] = "console_act_date"
    if start is None:
        errors["start"] = "console_act_time"
    if end is None:
        errors["end"] = "console_act_time"
    if day is None or start is None or end is None:
        return None
    starts_at = datetime.combine(day, start, tzinfo=zone)
    if not now < starts_at <= now + MAX_AHEAD:
        errors["date"] = "console_act_future"
        return None
    ends_at = datetime.combine(day, end, tzinfo=zone)
    if ends_at <= starts_at:
        ends_at += timedelta(days=1)  # 19:00-01:00 ends the next day, as in the template
    deadline = starts_at
    if values.get("deadline_date") or values.get("deadline_time"):
        cut_day, cut_time = _date(values.get("deadline_date")), _time(values.get("deadline_time"))
        moment = datetime.combine(cut_day, cut_time, tzinfo=zone) if cut_day and cut_time else None
        if moment is None or not now < moment <= starts_at:
            errors["deadline"] = "console_act_deadline"
            return None
        deadline = moment
    return starts_at, ends_at, deadline


def _departments(raw: object, known: list[str], errors: dict[str, str]) -> list[str] | None:
    chosen = [str(name) for name in raw] if isinstance(raw, list) else []
    if any(name not in known for name in chosen):
        errors["departments"] = "console_bad_department"
    if not chosen or set(chosen) >= set(known):
        return None  # every department
    return [name for name in known if name in chosen]


def read_fields(
    values: Mapping[str, object], *, now: datetime, zone: ZoneInfo, departments: list[str]
) -> ActivityDraft | dict[str, str]:
    """The activity the form describes, or field → catalogue key for each problem."""
    errors: dict[str, str] = {}
    title = str(values.get("title") or "").strip()
    if not title or len(title) > TITLE_MAX:
        errors["title"] = "console_act_title"
    place = str(values.get("place") or "").strip()
    if len(place) > PLACE_MAX:
        errors["place"] = "console_act_place"
    description = str(values.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = "console_act_description"
    moments = _moments(values, errors, now, zone)
    capacity = _number(values.get("capacity"), 1, 10_000, blank=None)
    if capacity == "bad":
        errors["capacity"] = "console_act_capacity"
    guests = _number(values.get("guests"), 0, 5, blank=0)
    if guests == "bad":
        errors["guests"] = "console_act_guests"
    chosen = _departments(values.get("departments"), departments, errors)
    if errors or moments is None:
        return errors
    starts_at, ends_at, deadline = moments
    return ActivityDraft(
        title=title,
        place=place,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        deadline=deadline,
        capacity=capacity if isinstance(capacity, int) else None,
        guests_max=guests if isinstance(guests, int) else 0,
        list_visible=bool(values.get("list_visible", True)),
        weekly=bool(values.get("weekly", False)),
        departments=chosen,
    )
