"""The kinds of life event the union cares for and their names — a leaf module, so that
whatever names a case's category (the config's category names too) can read them."""

from __future__ import annotations

from enum import StrEnum

from bot.strings import normalise_lang, t


class CareEvent(StrEnum):
    """A life event's kind; kept as its case's category (a hardship application's category
    is its own, and counts as hardship)."""

    ILLNESS = "illness"
    WEDDING = "wedding"
    BIRTH = "birth"
    BEREAVEMENT = "bereavement"
    HARDSHIP = "hardship"


KINDS: dict[CareEvent, str] = {
    CareEvent.ILLNESS: "care_kind_illness",
    CareEvent.WEDDING: "care_kind_wedding",
    CareEvent.BIRTH: "care_kind_birth",
    CareEvent.BEREAVEMENT: "care_kind_bereavement",
    CareEvent.HARDSHIP: "care_kind_hardship",
}


def kind_name(category: str, lang: str) -> str | None:
    """A life event's category as people read it; None for any other category."""
    if category not in set(CareEvent):
        return None
    return t(normalise_lang(lang), KINDS[CareEvent(category)])
