"""How the /notice form looks: its questions and buttons, the preview and the summary."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.keyboard import Button, Keyboard
from bot.core.when import example_date
from bot.delivery.outgoing import Part
from bot.notices.audience import Reach
from bot.notices.callbacks import (
    AckChoice,
    DepartmentPress,
    DepartmentsDone,
    Finish,
    FinishPress,
    PinChoice,
    PreviewAck,
    Scope,
    SendNow,
    TargetPress,
)
from bot.notices.form import NoticeDraft, NoticeStep
from bot.notices.reach_view import reach_text
from bot.notices.release import build_parts, count_line
from bot.strings import Html, Lang, t
from storage.models import Notice
from storage.statuses import NoticeTarget

TARGET_LABELS = {
    (NoticeTarget.GROUPS, Scope.ALL): "btn_target_all_groups",
    (NoticeTarget.GROUPS, Scope.DEPARTMENTS): "btn_target_dept_groups",
    (NoticeTarget.MEMBERS, Scope.ALL): "btn_target_all_members",
    (NoticeTarget.MEMBERS, Scope.DEPARTMENTS): "btn_target_dept_members",
    (NoticeTarget.BOTH, Scope.ALL): "btn_target_all_both",
    (NoticeTarget.BOTH, Scope.DEPARTMENTS): "btn_target_dept_both",
}


def _targets(lang: Lang) -> Keyboard:
    return Keyboard.of(
        [
            [
                Button(
                    t(lang, TARGET_LABELS[target, scope]), TargetPress(target=target, scope=scope)
                )
                for scope in Scope
            ]
            for target in NoticeTarget
        ]
    )


def _departments(lang: Lang, draft: NoticeDraft, departments: list[str]) -> Keyboard:
    chosen = set(draft.departments or [])
    rows = [
        [Button(("✅ " if name in chosen else "") + name, DepartmentPress(index=index))]
        for index, name in enumerate(departments)
    ]
    rows.append([Button(t(lang, "btn_done"), DepartmentsDone())])
    return Keyboard.of(rows)


def ask_when(lang: Lang, now: datetime, zone: ZoneInfo) -> Html:
    """The time question, its example date built from today (never a day already past)."""
    return t(lang, "notice_ask_when", date_example=example_date(now, zone))


def question(
    step: NoticeStep,
    lang: Lang,
    draft: NoticeDraft,
    departments: list[str],
    *,
    now: datetime,
    zone: ZoneInfo,
) -> tuple[Html, Keyboard | None]:
    if step == NoticeStep.CONTENT:
        return t(lang, "notice_ask_content"), None
    if step == NoticeStep.TARGET:
        return t(lang, "notice_ask_target"), _targets(lang)
    if step == NoticeStep.DEPARTMENTS:
        return t(lang, "notice_ask_departments"), _departments(lang, draft, departments)
    if step == NoticeStep.ACK:
        return t(lang, "notice_ask_ack"), Keyboard.of(
            [
                [
                    Button(t(lang, "btn_ack_required"), AckChoice(required=True)),
                    Button(t(lang, "btn_ack_not_required"), AckChoice(required=False)),
                ]
            ]
        )
    if step == NoticeStep.PIN:
        return t(lang, "notice_ask_pin"), Keyboard.of(
            [
                [
                    Button(t(lang, "btn_pin"), PinChoice(pin=True)),
                    Button(t(lang, "btn_no_pin"), PinChoice(pin=False)),
                ]
            ]
        )
    if step == NoticeStep.WHEN:
        send_now = Keyboard.column([Button(t(lang, "btn_send_now"), SendNow())])
        return ask_when(lang, now, zone), send_now
    raise ValueError(f"no question for {step!r}")


def preview(
    draft: Notice, found: Reach, lang: Lang, *, union: str, group_lang: Lang
) -> tuple[list[Part], Keyboard | None]:
    """Exactly what members will see: the group copy when there is one (it carries the live
    count), else the private copy; its 「收到」 only says it is a preview."""
    footer, shown_in = "", lang
    if found.groups:
        shown_in = group_lang
        if draft.require_ack:
            footer = count_line(shown_in, 0, found.department_size(found.groups[0].department))
    parts = build_parts(draft, shown_in, union=union, footer=footer)
    keyboard = (
        Keyboard.column([Button(t(shown_in, "btn_ack"), PreviewAck())])
        if draft.require_ack
        else None
    )
    return parts, keyboard


def summary(draft: NoticeDraft, lang: Lang, found: Reach, zone: ZoneInfo) -> Html:
    scope = "、".join(draft.departments) if draft.departments else t(lang, "word_all_departments")
    when_text = (
        draft.when.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        if draft.when
        else t(lang, "word_now")
    )
    return t(
        lang,
        "notice_summary",
        scope=scope,
        reach=reach_text(found, lang, to_groups=draft.target != NoticeTarget.MEMBERS),
        when=when_text,
        ack=t(lang, "word_yes" if draft.ack else "word_no"),
        pin=t(lang, "word_yes" if draft.pin else "word_no"),
    )


def confirm_keyboard(lang: Lang, found: Reach) -> Keyboard:
    """Send, rewrite or drop; 「仍然发送」 when the notice will miss departments without a
    group (the summary above names whom)."""
    send = "btn_notice_send_anyway" if found.without_group else "btn_notice_send"
    return Keyboard.of(
        [
            [Button(t(lang, send), FinishPress(action=Finish.SEND))],
            [
                Button(t(lang, "btn_notice_redo"), FinishPress(action=Finish.REDO)),
                Button(t(lang, "btn_notice_cancel"), FinishPress(action=Finish.CANCEL)),
            ],
        ]
    )
