"""The activity template a cadre fills in and sends, read line by line (Telegram-free, pure).

Each problem is named by its line, so the cadre knows what to fix.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.core.flow import Rejected
from bot.core.template import bad, departments_of, values_of
from bot.core.when import WhenError, parse_when
from storage.models import Activity

FIELDS = {
    "标题": "title",
    "title": "title",
    "时间": "time",
    "time": "time",
    "地点": "place",
    "place": "place",
    "截止": "deadline",
    "deadline": "deadline",
    "名额": "capacity",
    "capacity": "capacity",
    "家属": "guests",
    "guests": "guests",
    "名单公开": "visible",
    "visible": "visible",
    "每周": "weekly",
    "weekly": "weekly",
    "部门": "departments",
    "departments": "departments",
    "说明": "description",
    "description": "description",
}
SHOWN = frozenset({"title", "place", "description"})  # kept as typed: members read them
_TIME = re.compile(r"^(?P<start>.+?)\s*[-–~至到]\s*(?P<end>\d{1,2}[:：]\d{2})$")
OVERNIGHT_AT_MOST = timedelta(hours=12)
YES = {"是", "可以", "公开", "yes", "y", "true"}
NO = {"否", "不", "不公开", "no", "n", "false"}


class ActivityDraft(BaseModel):
    """An activity's details as the template gives them."""

    title: str
    place: str = ""
    description: str = ""
    starts_at: datetime
    ends_at: datetime
    deadline: datetime
    capacity: int | None = None
    guests_max: int = 0
    list_visible: bool = True
    weekly: bool = False
    departments: list[str] | None = None  # None: every department


class _Options(BaseModel):
    capacity: int | None
    guests_max: int
    list_visible: bool
    weekly: bool
    departments: list[str] | None


def _flag(value: str) -> bool | None:
    lowered = value.strip().lower()
    return True if lowered in YES else False if lowered in NO else None


def _times(
    values: dict[str, str], now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime, datetime] | Rejected:
    match = _TIME.match(values.get("time", ""))
    start = parse_when(match["start"], now=now, zone=zone) if match else WhenError("act_bad_time")
    if match is None or isinstance(start, WhenError):
        return bad("act_bad_time", "时间")
    hour, minute = (int(part) for part in match["end"].replace("：", ":").split(":"))
    local_start = start.astimezone(zone)
    end = local_start.replace(hour=hour, minute=minute)
    if end <= local_start:
        end += timedelta(days=1)  # past midnight (22:00-02:00)…
        if end - local_start > OVERNIGHT_AT_MOST:  # …not an end typed before the start
            return bad("act_bad_time_order", "时间")
    deadline = start
    if values.get("deadline"):
        parsed = parse_when(values["deadline"], now=now, zone=zone)
        if isinstance(parsed, WhenError) or parsed > start:
            return bad("act_bad_deadline", "截止")
        deadline = parsed
    return start, end.astimezone(start.tzinfo), deadline


def _options(values: dict[str, str], departments: list[str]) -> _Options | Rejected:
    capacity: int | None = None
    raw_capacity = values.get("capacity", "不限")
    if raw_capacity not in ("不限", "unlimited", ""):
        if not raw_capacity.isdigit() or not 1 <= int(raw_capacity) <= 10_000:
            return bad("act_bad_capacity", "名额")
        capacity = int(raw_capacity)
    guests = values.get("guests", "0")
    if not guests.isdigit() or int(guests) > 5:
        return bad("act_bad_guests", "家属")
    visible = _flag(values.get("visible", "是"))
    weekly = _flag(values.get("weekly", "否"))
    if visible is None or weekly is None:
        return bad("act_bad_flag", "名单公开 / 每周")
    chosen = departments_of(values.get("departments", "全部"), departments, "部门")
    if isinstance(chosen, Rejected):
        return chosen
    return _Options(
        capacity=capacity,
        guests_max=int(guests),
        list_visible=visible,
        weekly=weekly,
        departments=chosen,
    )


def read_template(
    text: str, *, now: datetime, zone: ZoneInfo, departments: list[str]
) -> ActivityDraft | Rejected:
    """The activity the template describes, or the first problem and its line."""
    values = values_of(text, FIELDS, as_written=SHOWN)
    title = values.get("title", "")
    if not title or len(title) > 64:
        return bad("act_bad_title", "标题")
    times = _times(values, now, zone)
    if isinstance(times, Rejected):
        return times
    options = _options(values, departments)
    if isinstance(options, Rejected):
        return options
    start, end, deadline = times
    return ActivityDraft(
        title=title,
        place=values.get("place", "")[:64],
        description=values.get("description", ""),
        starts_at=start,
        ends_at=end,
        deadline=deadline,
        **options.model_dump(),
    )


def filled(activity: Activity | ActivityDraft, zone: ZoneInfo, *, now: datetime) -> str:
    """The activity as a filled-in template: what a cadre edits, and what the lines they
    leave out keep (read_template reads the last line of each field). A sign-up deadline
    already past is left out: no template line can say it (see `deadline_given`)."""

    def day(moment: datetime) -> str:
        local = moment.astimezone(zone)
        return f"{local.month}月{local.day}日 {local.hour}:{local.minute:02d}"

    end = activity.ends_at.astimezone(zone)
    everyone = activity.departments is None
    lines = {
        "标题": activity.title,
        "时间": f"{day(activity.starts_at)}-{end.hour}:{end.minute:02d}",
        "地点": activity.place,
        "截止": day(activity.deadline) if activity.deadline > now else "",
        "名额": "不限" if activity.capacity is None else str(activity.capacity),
        "家属": str(activity.guests_max),
        "名单公开": "是" if activity.list_visible else "否",
        "每周": "是" if activity.weekly else "否",
        "部门": "全部" if everyone else "、".join(activity.departments or []),
        "说明": " ".join(activity.description.split()),  # one line, as the template reads it
    }
    return "\n".join(f"{field}：{value}" for field, value in lines.items() if value)


def deadline_given(text: str) -> bool:
    """Whether a template names the sign-up deadline."""
    return "deadline" in values_of(text, FIELDS)
