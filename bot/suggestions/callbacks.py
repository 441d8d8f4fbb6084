"""The suggestions' button: 「附议」 under an adopted suggestion posted to the groups."""

from __future__ import annotations

from enum import StrEnum

from bot.core.callbacks import CallbackData


class SupportVerb(StrEnum):
    SIGN = "sign"


class SupportPress(CallbackData, prefix="sg"):
    """Co-sign a published suggestion. Packs as `sg:sign:<id>`, the form the posts already
    in the groups carry, so their buttons keep working."""

    verb: SupportVerb
    case_id: int


def support_press(case_id: int) -> SupportPress:
    return SupportPress(verb=SupportVerb.SIGN, case_id=case_id)
