"""Citations as the answers show them — 《法律简称》第X条 — read into (statute, article) pairs.

Evaluation sets and tests compare what an entry cites with what a right answer must rest on.
Writers name the same statute in different ways (the long official title, a short name), so
every name is folded to one key before comparing.
"""

from __future__ import annotations

import re

# A citation: the statute in 《》 (its title may itself quote a law in 〈〉), then optionally
# one article in Chinese numerals (第二百七十六条之一 included).
CITATION_FORM = re.compile(
    r"^《([^《》]+)》(?:第([零一二三四五六七八九十百千]+)条(之[一二三四五六七八九十])?)?$"
)
_ANY = re.compile(
    r"《([^《》]+)》(?:第([零一二三四五六七八九十百千]+)条(之[一二三四五六七八九十])?)?"
)

# Long official titles and the short names writers use for them.
ALIASES = {
    "关于贯彻执行〈中华人民共和国劳动法〉若干问题的意见": "劳动法意见",
    "关于贯彻执行《劳动法》若干问题的意见": "劳动法意见",
    "关于国营企业职工请婚丧假和路程假问题的通知": "婚丧假通知",
    # The retirement-age measures are also named after what they do to the age.
    "国务院关于渐进式提高职工法定退休年龄的办法": "国务院关于渐进式延迟法定退休年龄的办法",
    "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）": "劳动争议司法解释（一）",
    "最高人民法院关于审理劳动争议案件适用法律问题的解释（二）": "劳动争议司法解释（二）",
}
_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def statute_key(name: str) -> str:
    """One name per statute: 中华人民共和国 dropped, long titles folded to their short names."""
    name = name.strip().removeprefix("中华人民共和国")
    return ALIASES.get(name, name)


def chinese_number(text: str) -> int:
    """二百七十六 → 276; 十五 → 15 ; 一千零一十 → 1010."""
    total, digit = 0, 0
    for char in text:
        if char == "千":
            total += (digit or 1) * 1000
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        else:
            digit = _DIGITS[char]
    return total + digit


def parts(citation: str) -> list[tuple[str, str, str]]:
    """(statute, article in Chinese numerals or "", its 之X or "") of each citation in a text."""
    return [(name, number, sub) for name, number, sub in _ANY.findall(citation)]


def articles(citation: str) -> list[tuple[str, int | None]]:
    """The (statute, article) pairs a citation names; article None for a whole statute."""
    return [
        (statute_key(name), chinese_number(number) if number else None)
        for name, number, _ in _ANY.findall(citation)
    ]


def rests_on(cited: tuple[str, ...] | list[str], expected: list[str]) -> bool:
    """Whether citations name at least one expected article. An expected whole statute is
    met by any article of it; an expected article only by that article."""
    have = {pair for citation in cited for pair in articles(citation)}
    statutes = {name for name, _ in have}
    for wanted in expected:
        for name, number in articles(wanted):
            if (name, number) in have or (number is None and name in statutes):
                return True
    return False
