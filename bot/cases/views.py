"""What a reporter sees of their own cases: the list, one case and its thread, the status
behind a receipt code, and the buttons their case's status allows (Telegram-free)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cases.callbacks import RatePress, ReporterAction, ReporterPress
from bot.cases.labels import THREAD, to_reporter
from bot.cases.states import CaseAction, table_for
from bot.config import CasesConfig
from bot.core.keyboard import Button, Keyboard
from bot.core.labels import label
from bot.core.text_split import split_html
from bot.roles import Role
from bot.strings import Html, Lang, t
from storage.models import Case, CaseEntry
from storage.statuses import CaseEntryAction

LISTED = 20
# A message holds 4096 characters: a long report or thread is shown clipped.
TEXT_SHOWN = 1200
STEP_SHOWN = 150
STEPS_SHOWN = 12
# The steps of a thread a reporter sees: what was written to them, and what they wrote.
SHOWN_TO_REPORTER = frozenset(
    {
        CaseEntryAction.REPLY,
        CaseEntryAction.ASK,
        CaseEntryAction.ADDED_INFO,
        CaseEntryAction.RESOLVE,
        CaseEntryAction.REJECT,
        CaseEntryAction.DECLINE,
        CaseEntryAction.ADOPT,
        CaseEntryAction.STUDY,
        CaseEntryAction.APPROVE,
    }
)


def clip(text: str, limit: int) -> Html:
    """HTML text cut at a sensible boundary within `limit` characters (tags kept whole)."""
    pieces = split_html(text, limit) or [""]
    return Html(pieces[0] + ("…" if len(pieces) > 1 else ""))


def reporter_keyboard(case: Case, lang: Lang) -> Keyboard:
    """Rating buttons once the case is resolved, else 「补充情况」 while it may be added to."""
    assert case.id is not None
    allowed = table_for(case.kind).available(case.status, Role.MEMBER)
    if CaseAction.SATISFIED in allowed:
        return Keyboard.of(
            [
                [
                    Button(t(lang, "btn_rate_yes"), RatePress(case_id=case.id, satisfied=True)),
                    Button(t(lang, "btn_rate_no"), RatePress(case_id=case.id, satisfied=False)),
                ]
            ]
        )
    if CaseAction.ADD in allowed:
        add = ReporterPress(action=ReporterAction.ADD, case_id=case.id)
        return Keyboard.column([Button(t(lang, "btn_case_add"), add)])
    return Keyboard.of([])


def own_list(mine: Sequence[Case], lang: Lang, cases: CasesConfig) -> Keyboard:
    """One button per case (newest first), each opening it."""
    return Keyboard.column(
        [
            Button(
                t(
                    lang,
                    to_reporter("mycase_line", case.kind),
                    id=case.id or 0,
                    category=cases.category_name(case.category, lang),
                    status=t(lang, label(case.status)),
                ),
                ReporterPress(action=ReporterAction.OPEN, case_id=case.id or 0),
            )
            for case in mine[:LISTED]
        ]
    )


def own_case(
    case: Case, thread: Sequence[CaseEntry], lang: Lang, cases: CasesConfig
) -> tuple[Html, Keyboard]:
    """A reporter's case: its status, what they wrote and what was written to them."""
    lines = [
        t(
            lang,
            to_reporter("case_header", case.kind),
            id=case.id or 0,
            category=cases.category_name(case.category, lang),
            status=t(lang, label(case.status)),
        ),
        clip(case.text, TEXT_SHOWN),
    ]
    shown = [entry for entry in thread if entry.text and entry.action in SHOWN_TO_REPORTER]
    lines += [
        t(lang, THREAD[entry.actor], text=clip(entry.text or "", STEP_SHOWN))
        for entry in shown[-STEPS_SHOWN:]
    ]
    return Html("\n\n".join(lines)), reporter_keyboard(case, lang)


def code_status(case: Case, lang: Lang, cases: CasesConfig) -> Html:
    """The status behind a receipt code (for a reporter who chose no follow-up)."""
    return t(
        lang,
        to_reporter("case_code_status", case.kind),
        id=case.id or 0,
        category=cases.category_name(case.category, lang),
        status=t(lang, label(case.status)),
    )
