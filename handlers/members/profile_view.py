"""How the profile form and a member's profile look in chat (texts and buttons)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup

from bot.greetings.birthday_dates import format_birthday
from bot.members.profile_form import Step, birthday_from_draft
from bot.strings import Html, Lang, t
from handlers.core.replies import keyboard


def prompt(
    step: Step, lang: Lang, *, departments: list[str]
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The question for a step, with its buttons."""
    if step == Step.NAME:
        return t(lang, "ask_name"), None
    if step == Step.DEPARTMENT:
        rows = [
            [(name, f"pf:dept:{index}") for index, name in enumerate(departments[i : i + 2], i)]
            for i in range(0, len(departments), 2)
        ]
        return t(lang, "ask_department"), keyboard(rows)
    if step == Step.BIRTHDAY:
        return t(lang, "ask_birthday"), keyboard([[(t(lang, "btn_skip_birthday"), "pf:skip:0")]])
    if step == Step.SHARE:
        return t(lang, "ask_share"), keyboard(
            [[(t(lang, "btn_share_yes"), "pf:share:1"), (t(lang, "btn_share_no"), "pf:share:0")]]
        )
    if step == Step.HIDE_YEAR:
        return t(lang, "ask_hide_year"), keyboard(
            [[(t(lang, "btn_show_age"), "pf:year:0"), (t(lang, "btn_hide_year"), "pf:year:1")]]
        )
    if step == Step.LANGUAGE:
        return t(lang, "ask_language"), keyboard(
            [[("中文", "pf:lang:zh"), ("English", "pf:lang:en")]]
        )
    raise ValueError(f"no prompt for {step!r}")


def summary(draft: dict[str, Any], lang: Lang) -> Html:
    """The profile as the member will see it on /me and before confirming registration."""
    birthday = birthday_from_draft(draft.get("birthday"))
    yes, no = t(lang, "word_yes"), t(lang, "word_no")
    return t(
        lang,
        "profile_summary",
        name=draft.get("name", ""),
        department=draft.get("department", ""),
        birthday=format_birthday(birthday, lang) if birthday else t(lang, "word_not_given"),
        share=yes if draft.get("share_birthday") else no,
        hide_year=yes if draft.get("hide_year", True) else no,
        language="中文" if draft.get("language", "zh") == "zh" else "English",
    )


def confirm_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    return keyboard([[(t(lang, "btn_confirm"), "pf:ok:1"), (t(lang, "btn_redo"), "pf:redo:1")]])


def profile_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                (t(lang, "btn_edit_name"), "me:edit:name"),
                (t(lang, "btn_edit_dept"), "me:edit:dept"),
            ],
            [
                (t(lang, "btn_edit_bday"), "me:edit:bday"),
                (t(lang, "btn_edit_share"), "me:edit:share"),
            ],
            [
                (t(lang, "btn_edit_year"), "me:edit:year"),
                (t(lang, "btn_edit_lang"), "me:edit:lang"),
            ],
            [(t(lang, "btn_forget"), "me:forget:ask")],
        ]
    )
