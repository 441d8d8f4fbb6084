"""How the profile form and a member's profile look in chat: questions, buttons, summaries.
Telegram-free: the keyboards carry the same typed data the handlers take."""

from __future__ import annotations

from bot.config import UnionConfig
from bot.core.keyboard import Button, Keyboard
from bot.greetings.birthday_dates import format_birthday
from bot.members.callbacks import (
    ConfirmPress,
    DepartmentChoice,
    EditPress,
    ForgetChoice,
    ForgetPress,
    Language,
    LanguageChoice,
    ProfileField,
    RedoPress,
    ShareChoice,
    SkipBirthday,
    YearChoice,
)
from bot.members.profile_form import ProfileDraft, ProfileStep
from bot.strings import Html, Lang, t

LANGUAGE_NAMES = {Language.ZH: "中文", Language.EN: "English"}


def _departments(departments: list[str]) -> Keyboard:
    """The departments two to a row, as the member reads them (the press carries the index)."""
    return Keyboard.of(
        [
            [
                Button(name, DepartmentChoice(index=index))
                for index, name in enumerate(departments[i : i + 2], i)
            ]
            for i in range(0, len(departments), 2)
        ]
    )


def prompt(step: ProfileStep, lang: Lang, *, union: UnionConfig) -> tuple[Html, Keyboard | None]:
    """The question for a step, with its buttons."""
    departments = [union.department_name(name, lang) for name in union.departments]
    if step == ProfileStep.NAME:
        return t(lang, "ask_name"), None
    if step == ProfileStep.DEPARTMENT:
        return t(lang, "ask_department"), _departments(departments)
    if step == ProfileStep.BIRTHDAY:
        skip = Keyboard.column([Button(t(lang, "btn_skip_birthday"), SkipBirthday())])
        return t(lang, "ask_birthday"), skip
    if step == ProfileStep.SHARE:
        return t(lang, "ask_share"), Keyboard.of(
            [
                [
                    Button(t(lang, "btn_share_yes"), ShareChoice(share=True)),
                    Button(t(lang, "btn_share_no"), ShareChoice(share=False)),
                ]
            ]
        )
    if step == ProfileStep.HIDE_YEAR:
        return t(lang, "ask_hide_year"), Keyboard.of(
            [
                [
                    Button(t(lang, "btn_show_age"), YearChoice(hide=False)),
                    Button(t(lang, "btn_hide_year"), YearChoice(hide=True)),
                ]
            ]
        )
    if step == ProfileStep.LANGUAGE:
        return t(lang, "ask_language"), Keyboard.of(
            [[Button(name, LanguageChoice(language=code)) for code, name in LANGUAGE_NAMES.items()]]
        )
    raise ValueError(f"no prompt for {step!r}")


def summary(draft: ProfileDraft, lang: Lang, union: UnionConfig) -> Html:
    """The profile as the member sees it on /me and before confirming registration."""
    birthday = draft.birthday.birthday() if draft.birthday is not None else None
    yes, no = t(lang, "word_yes"), t(lang, "word_no")
    return t(
        lang,
        "profile_summary",
        name=draft.name or "",
        department=union.department_name(draft.department or "", lang),
        birthday=format_birthday(birthday, lang) if birthday else t(lang, "word_not_given"),
        share=yes if draft.share_birthday else no,
        hide_year=yes if draft.hide_year else no,
        language=LANGUAGE_NAMES[Language(draft.language or "zh")],
    )


def confirm_text(draft: ProfileDraft, lang: Lang, union: UnionConfig) -> Html:
    return t(lang, "confirm_intro", summary=summary(draft, lang, union))


def confirm_keyboard(lang: Lang) -> Keyboard:
    return Keyboard.of(
        [[Button(t(lang, "btn_confirm"), ConfirmPress()), Button(t(lang, "btn_redo"), RedoPress())]]
    )


def question(
    step: ProfileStep, draft: ProfileDraft, lang: Lang, *, union: UnionConfig
) -> tuple[Html, Keyboard | None]:
    """The question for a step, or at the end the summary to confirm."""
    if step == ProfileStep.CONFIRM:
        return confirm_text(draft, lang, union), confirm_keyboard(lang)
    return prompt(step, lang, union=union)


def _edit(lang: Lang, key: str, field: ProfileField) -> Button:
    return Button(t(lang, key), EditPress(field=field))


def profile_keyboard(lang: Lang) -> Keyboard:
    return Keyboard.of(
        [
            [
                _edit(lang, "btn_edit_name", ProfileField.NAME),
                _edit(lang, "btn_edit_dept", ProfileField.DEPARTMENT),
            ],
            [
                _edit(lang, "btn_edit_bday", ProfileField.BIRTHDAY),
                _edit(lang, "btn_edit_share", ProfileField.SHARE),
            ],
            [
                _edit(lang, "btn_edit_year", ProfileField.YEAR),
                _edit(lang, "btn_edit_lang", ProfileField.LANGUAGE),
            ],
            [Button(t(lang, "btn_forget"), ForgetPress(choice=ForgetChoice.ASK))],
        ]
    )


def birthday_keyboard(lang: Lang) -> Keyboard:
    """Under /birthday: the birthday's own parts of the profile."""
    return Keyboard.of(
        [
            [
                _edit(lang, "btn_edit_bday", ProfileField.BIRTHDAY),
                _edit(lang, "btn_edit_share", ProfileField.SHARE),
            ],
            [_edit(lang, "btn_edit_year", ProfileField.YEAR)],
        ]
    )


def forget_keyboard(lang: Lang) -> Keyboard:
    return Keyboard.of(
        [
            [
                Button(t(lang, "btn_forget_yes"), ForgetPress(choice=ForgetChoice.YES)),
                Button(t(lang, "btn_forget_no"), ForgetPress(choice=ForgetChoice.NO)),
            ]
        ]
    )
