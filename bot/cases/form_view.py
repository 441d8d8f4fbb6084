"""What the /report and /suggest forms show at each step, and their buttons (Telegram-free)."""

from __future__ import annotations

from bot.cases.callbacks import CategoryPress, DetailsDone, IdentityPress, ReportFinish
from bot.cases.form import ReportDraft
from bot.cases.identity import BUTTON_LABELS, SUMMARY_LABELS, Identity
from bot.cases.views import clip
from bot.config import CasesConfig
from bot.core.keyboard import Button, Keyboard
from bot.strings import Html, Lang, t

PREVIEW = 300


def category_question(cases: CasesConfig, lang: Lang) -> tuple[Html, Keyboard]:
    """The categories, each in the member's language (the press carries its index)."""
    buttons = [
        Button(cases.category_name(name, lang), CategoryPress(index=i))
        for i, name in enumerate(cases.categories)
    ]
    text = Html(t(lang, "report_ask_category") + "\n\n" + t(lang, "cancel_hint"))
    return text, Keyboard.column(buttons)


def noted_keyboard(lang: Lang) -> Keyboard:
    """「写好了」 under each part of the details the member sends."""
    return Keyboard.column([Button(t(lang, "btn_report_done"), DetailsDone())])


def identity_question(
    lang: Lang, *, department: str, size: int, small: int
) -> tuple[Html, Keyboard]:
    """Named or anonymous; in a small department, a warning that details may identify them."""
    text: str = t(lang, "report_ask_identity")
    if size < small:
        text += "\n\n" + t(lang, "report_small_department", department=department, size=size)
    buttons = [Button(t(lang, BUTTON_LABELS[way]), IdentityPress(identity=way)) for way in Identity]
    return Html(text), Keyboard.column(buttons)


def summary(draft: ReportDraft, lang: Lang, cases: CasesConfig) -> tuple[Html, Keyboard]:
    """What will be submitted, with submit and cancel."""
    text = t(
        lang,
        "report_summary",
        category=cases.category_name(draft.category, lang),
        text=clip(draft.text, PREVIEW),  # the member's own text, as HTML
        count=len(draft.attachments),
        identity=t(lang, SUMMARY_LABELS[draft.identity]),
    )
    keyboard = Keyboard.of(
        [
            [
                Button(t(lang, "btn_report_send"), ReportFinish(send=True)),
                Button(t(lang, "btn_notice_cancel"), ReportFinish(send=False)),
            ]
        ]
    )
    return text, keyboard
