"""What the care forms show at each step, and their buttons (Telegram-free)."""

from __future__ import annotations

from bot.care.callbacks import (
    DocumentPress,
    EventFinish,
    EventKindPress,
    EventSharePress,
    EventWhoPress,
    HardshipFinish,
)
from bot.care.forms import EventDraft, EventStep, HardshipDraft
from bot.care.kinds import KINDS, CareEvent
from bot.core.keyboard import Button, Keyboard
from bot.strings import Html, Lang, t

QUESTIONS: dict[EventStep, str] = {
    EventStep.KIND: "care_ask_kind",
    EventStep.WHO: "care_ask_who",
    EventStep.NAME: "care_ask_name",
    EventStep.DETAILS: "care_ask_details",
    EventStep.SHARE: "care_ask_share",
}


def _send_or_cancel(
    lang: Lang, send: EventFinish | HardshipFinish, cancel: EventFinish | HardshipFinish
) -> list[Button]:
    return [Button(t(lang, "btn_report_send"), send), Button(t(lang, "btn_notice_cancel"), cancel)]


def event_question(step: EventStep, draft: EventDraft, lang: Lang) -> tuple[Html, Keyboard]:
    """The /lifeevent form's question at `step`, with its buttons."""
    if step == EventStep.CONFIRM:
        return _summary(draft, lang)
    text = t(lang, QUESTIONS[step])
    if step == EventStep.KIND:
        kinds = [Button(t(lang, KINDS[event]), EventKindPress(event=event)) for event in CareEvent]
        return text, Keyboard.column(kinds)
    if step == EventStep.WHO:
        own = Button(t(lang, "btn_care_self"), EventWhoPress(own=True))
        other = Button(t(lang, "btn_care_other"), EventWhoPress(own=False))
        return text, Keyboard.of([[own, other]])
    if step == EventStep.SHARE:
        yes = Button(t(lang, "btn_share_yes"), EventSharePress(share=True))
        no = Button(t(lang, "btn_share_no"), EventSharePress(share=False))
        return text, Keyboard.of([[yes, no]])
    return text, Keyboard.of([])


def _summary(draft: EventDraft, lang: Lang) -> tuple[Html, Keyboard]:
    text = t(
        lang,
        "care_summary",
        event=t(lang, KINDS[draft.event]),
        subject=draft.subject,
        details=draft.details,
        share=t(lang, "word_yes" if draft.share else "word_no"),
    )
    buttons = _send_or_cancel(lang, EventFinish(send=True), EventFinish(send=False))
    return text, Keyboard.of([buttons])


def checklist(draft: HardshipDraft, documents: list[str], lang: Lang) -> tuple[Html, Keyboard]:
    """The documents to tick (press to toggle), then submit or cancel."""
    rows = [
        [Button(("✅ " if i in draft.documents else "☐ ") + name, DocumentPress(index=i))]
        for i, name in enumerate(documents)
    ]
    rows.append(_send_or_cancel(lang, HardshipFinish(send=True), HardshipFinish(send=False)))
    return t(lang, "hardship_docs"), Keyboard.of(rows)
