"""The /newactivity form: a filled-in template, read line by line (Telegram-free, pure).

A cadre copies the template, fills it in and sends it; each problem is named by its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.when import WhenError, parse_when

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
_TIME = re.compile(r"^(?P<start>.+?)\s*[-–~至到]\s*(?P<end>\d{1,2}[:：]\d{2})$")
YES = {"是", "可以", "公开", "yes", "y", "true"}
NO = {"否", "不", "不公开", "no", "n", "false"}


@dataclass(frozen=True)
class FormError:
    key: str
    line: str = ""


def _flag(value: str) -> bool | None:
    lowered = value.strip().lower()
    return True if lowered in YES else False if lowered in NO else None


def _times(
    values: dict[str, str], now: datetime, zone: ZoneInfo
) -> tuple[datetime, datetime, datetime] | FormError:
    match = _TIME.match(values.get("time", ""))
    start = parse_when(match["start"], now=now, zone=zone) if match else WhenError("act_bad_time")
    if match is None or isinstance(start, WhenError):
        return FormError("act_bad_time", "时间")
    hour, minute = (int(part) for part in match["end"].replace("：", ":").split(":"))
    local_start = start.astimezone(zone)
    end = local_start.replace(hour=hour, minute=minute)
    if end <= local_start:
        end += timedelta(days=1)
    deadline = start
    if values.get("deadline"):
        parsed = parse_when(values["deadline"], now=now, zone=zone)
        if isinstance(parsed, WhenError) or parsed > start:
            return FormError("act_bad_deadline", "截止")
        deadline = parsed
    return start, end.astimezone(start.tzinfo), deadline


def _options(values: dict[str, str], departments: list[str]) -> dict[str, Any] | FormError:
    capacity: int | None = None
    raw_capacity = values.get("capacity", "不限")
    if raw_capacity not in ("不限", "unlimited", ""):
        if not raw_capacity.isdigit() or not 1 <= int(raw_capacity) <= 10_000:
            return FormError("act_bad_capacity", "名额")
        capacity = int(raw_capacity)
    guests = values.get("guests", "0")
    if not guests.isdigit() or int(guests) > 5:
        return FormError("act_bad_guests", "家属")
    visible = _flag(values.get("visible", "是"))
    weekly = _flag(values.get("weekly", "否"))
    if visible is None or weekly is None:
        return FormError("act_bad_flag", "名单公开 / 每周")
    chosen: list[str] | None = None
    raw_departments = values.get("departments", "全部")
    if raw_departments not in ("全部", "all", ""):
        chosen = [d.strip() for d in re.split(r"[、,，\s]+", raw_departments) if d.strip()]
        if not chosen or any(d not in departments for d in chosen):
            return FormError("act_bad_departments", "部门")
    return {
        "capacity": capacity,
        "guests_max": int(guests),
        "list_visible": visible,
        "weekly": weekly,
        "departments": chosen,
    }


def parse_form(
    text: str, *, now: datetime, zone: ZoneInfo, departments: list[str]
) -> dict[str, Any] | FormError:
    """Activity fields from the template, or the first problem and its line."""
    values: dict[str, str] = {}
    for raw in unicodedata.normalize("NFKC", text).splitlines():
        key, sep, value = raw.partition(":")
        field = FIELDS.get(key.strip().lower())
        if sep and field:
            values[field] = value.strip()
    title = values.get("title", "")
    if not title or len(title) > 64:
        return FormError("act_bad_title", "标题")
    times = _times(values, now, zone)
    if isinstance(times, FormError):
        return times
    options = _options(values, departments)
    if isinstance(options, FormError):
        return options
    start, end, deadline = times
    return {
        "title": title,
        "place": values.get("place", "")[:64],
        "description": values.get("description", ""),
        "starts_at": start,
        "ends_at": end,
        "deadline": deadline,
        **options,
    }
