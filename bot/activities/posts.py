"""How an activity looks in chat, and its posts to the bound groups (Telegram-free)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.strings import Html, Lang, t
from storage import groups, outbox
from storage.models import Activity

POST_KIND = "activity_post"


def count_line(activity: Activity, taken: int, waiting: int, lang: Lang) -> str:
    if activity.capacity is None:
        return t(lang, "act_count_unlimited", taken=taken)
    return t(lang, "act_count", taken=taken, capacity=activity.capacity, waiting=waiting)


def post_text(activity: Activity, lang: Lang, zone: ZoneInfo, taken: int, waiting: int) -> Html:
    body = t(
        lang,
        "act_post",
        title=activity.title,
        place=activity.place,
        description=activity.description,
        when=activity.starts_at.astimezone(zone).strftime("%m-%d %H:%M"),
        until=activity.ends_at.astimezone(zone).strftime("%H:%M"),
        deadline=activity.deadline.astimezone(zone).strftime("%m-%d %H:%M"),
    )
    return Html(body + "\n\n" + count_line(activity, taken, waiting, lang))


def button_rows(activity: Activity, lang: Lang) -> list[list[tuple[str, str]]]:
    """报名 / 取消报名, one 报名+N button per number of family guests allowed, 名单 / 签到."""
    rows: list[list[tuple[str, str]]] = [
        [
            (t(lang, "btn_act_join"), f"ac:join:{activity.id}"),
            (t(lang, "btn_act_leave"), f"ac:leave:{activity.id}"),
        ],
        [
            (t(lang, "btn_act_list"), f"ac:list:{activity.id}"),
            (t(lang, "btn_act_checkin"), f"ac:in:{activity.id}"),
        ],
    ]
    if activity.guests_max:
        guests: list[tuple[str, str]] = [
            (t(lang, "btn_act_join_guests", count=n), f"ac:guest:{activity.id}:{n}")
            for n in range(1, activity.guests_max + 1)
        ]
        rows.insert(1, guests)
    return rows


def markup(activity: Activity, lang: Lang) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row]
            for row in button_rows(activity, lang)
        ]
    }


async def post(
    session: AsyncSession, activity: Activity, *, lang: Lang, zone: ZoneInfo, now: datetime
) -> None:
    """Queue the activity's post in every bound group of its departments."""
    assert activity.id is not None
    text = str(post_text(activity, lang, zone, 0, 0))
    rows = [
        {
            "key": f"activity:{activity.id}:post:chat:{group.chat_id}",
            "kind": POST_KIND,
            "chat_id": group.chat_id,
            "ref_id": activity.id,
            "payload": {"parts": [{"text": text}], "markup": markup(activity, lang)},
        }
        for group in await groups.bound(session, departments=activity.departments)
    ]
    await outbox.enqueue(session, rows, now=now)


async def was_posted(session: AsyncSession, activity: Activity) -> bool:
    assert activity.id is not None
    return bool(
        await outbox.for_ref(session, ref_id=activity.id, kinds=[POST_KIND], groups_only=True)
    )
