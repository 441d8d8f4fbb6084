"""English names of the case categories a union is likely to use (the defaults, the rights
consultation's and a suggestion's), by their Chinese names; `[cases] categories_en` adds to
them or overrides them."""

from __future__ import annotations

from collections.abc import Mapping

from bot.care.kinds import kind_name

CATEGORIES_EN = {
    "工资待遇": "Pay and benefits",
    "工时加班": "Working hours and overtime",
    "安全生产": "Safety at work",
    "安全卫生": "Safety and hygiene",
    "合同与解雇": "Contracts and dismissal",
    "社会保险": "Social insurance",
    "食堂宿舍设施": "Canteen, dormitory and facilities",
    "欺凌骚扰": "Bullying and harassment",
    "其他": "Other",
    "权益咨询": "Rights question",
    "合理化建议": "Suggestion",
}


def category_label(category: str, lang: str, english: Mapping[str, str] | None = None) -> str:
    """A case's category as a reader of `lang` sees it: a life event by its kind's name, any
    other in English from `english` (a union's own names) or the defaults above."""
    if (kind := kind_name(category, lang)) is not None:
        return kind
    if lang != "en":
        return category
    return (english or {}).get(category) or CATEGORIES_EN.get(category, category)
