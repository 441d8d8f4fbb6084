"""How the /notice form looks in chat: questions, buttons, the preview and the summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.notices.form import NoticeStep
from bot.strings import Html, Lang, t
from handlers.core.replies import keyboard


def question(
    step: NoticeStep, lang: Lang, data: dict[str, Any], departments: list[str]
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if step == NoticeStep.CONTENT:
        return t(lang, "notice_ask_content"), None
    if step == NoticeStep.TARGET:
        targets: list[list[tuple[str, str]]] = [
            [
                (t(lang, f"btn_target_{scope}_{kind}"), f"nt:tg:{scope}_{kind}")
                for scope in ("all", "dept")
            ]
            for kind in ("groups", "members", "both")
        ]
        return t(lang, "notice_ask_target"), keyboard(targets)
    if step == NoticeStep.DEPARTMENTS:
        chosen = set(data.get("departments") or [])
        rows: list[list[tuple[str, str]]] = [
            [(("✅ " if name in chosen else "") + name, f"nt:dp:{index}")]
            for index, name in enumerate(departments)
        ]
        rows.append([(t(lang, "btn_done"), "nt:dp:done")])
        return t(lang, "notice_ask_departments"), keyboard(rows)
    if step == NoticeStep.ACK:
        return t(lang, "notice_ask_ack"), keyboard(
            [
                [
                    (t(lang, "btn_ack_required"), "nt:ack:1"),
                    (t(lang, "btn_ack_not_required"), "nt:ack:0"),
                ]
            ]
        )
    if step == NoticeStep.PIN:
        return t(lang, "notice_ask_pin"), keyboard(
            [[(t(lang, "btn_pin"), "nt:pin:1"), (t(lang, "btn_no_pin"), "nt:pin:0")]]
        )
    if step == NoticeStep.WHEN:
        return t(lang, "notice_ask_when"), keyboard([[(t(lang, "btn_send_now"), "nt:when:now")]])
    raise ValueError(f"no question for {step!r}")


def summary(
    data: dict[str, Any], lang: Lang, *, groups: int, members: int, audience: int, zone: ZoneInfo
) -> Html:
    departments = data.get("departments")
    scope = "、".join(departments) if departments else t(lang, "word_all_departments")
    target = data.get("target")
    parts = []
    if target != "members":
        parts.append(t(lang, "notice_reach_groups", groups=groups, audience=audience))
    if target != "groups":
        parts.append(t(lang, "notice_reach_members", members=members))
    reach = "；".join(parts)
    when = data.get("when")
    when_text = (
        datetime.fromisoformat(when).astimezone(zone).strftime("%Y-%m-%d %H:%M")
        if when
        else t(lang, "word_now")
    )
    return t(
        lang,
        "notice_summary",
        scope=scope,
        reach=reach,
        when=when_text,
        ack=t(lang, "word_yes" if data.get("ack") else "word_no"),
        pin=t(lang, "word_yes" if data.get("pin") else "word_no"),
    )


def confirm_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [(t(lang, "btn_notice_send"), "nt:go:send")],
            [
                (t(lang, "btn_notice_redo"), "nt:go:redo"),
                (t(lang, "btn_notice_cancel"), "nt:go:cancel"),
            ],
        ]
    )
