"""What the search may tell a member: the verdict on a ranking, decided by pure rules.

ANSWER        the top entry answers the question;
AMBIGUOUS     two entries are about as likely: ask which one is meant (Result.candidates);
UNSURE        about work, but no entry fits well enough: offer a cadre;
OUT_OF_SCOPE  not a labour-rights question (small talk, the canteen, the weather, football,
              love, a greeting to write, union activities, how to use the bot): say what the
              bot does instead, and do not offer to bother the cadres.

The thresholds were calibrated on the aggregate figures of tests/data/rights_heldout.toml (a
set written apart from the entries), never on single questions or on the phrasings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from bot.rights.lexicon import data_lines

_HAN = re.compile(r"[\u3400-\u9fff]")


class Verdict(StrEnum):
    ANSWER = "answer"
    AMBIGUOUS = "ambiguous"
    UNSURE = "unsure"
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Thresholds:
    confident: float  # the top score an answer needs
    ambiguous: float  # second/top at or above this: ask which of the two


CHINESE = Thresholds(confident=9.0, ambiguous=0.9)
ENGLISH = Thresholds(confident=9.0, ambiguous=0.95)


@cache
def out_of_scope_cues() -> frozenset[str]:
    """Words that mark a question as about something else (bot/rights/offtopic.txt)."""
    return frozenset(w for line in data_lines("offtopic.txt") for w in line.split())


@cache
def legal_words() -> frozenset[str]:
    """Words that make a question about rights even beside an off-topic word (加班 beside 女朋友
    is not enough; 违法 or 赔偿 is)."""
    return frozenset(w for line in data_lines("legal.txt") for w in line.split())


def off_topic(text: str, terms: Sequence[str]) -> bool:
    """An off-topic word in the question (Chinese ones anywhere in it: 篮球赛 holds 篮球) and
    no word of the law."""
    lowered = text.lower()
    words = set(terms) | set(re.findall(r"[a-z][a-z-]*", lowered))
    cue = any(
        (cue in lowered) if _HAN.search(cue) else (cue in words) for cue in out_of_scope_cues()
    )
    return cue and not words & legal_words()


def judge(
    text: str,
    terms: Sequence[str],
    scores: Sequence[float],
    *,
    domain: int,
    topical: bool = True,
    english: bool = False,
) -> Verdict:
    """The verdict on a ranking: `scores` best first, `domain` how many of the question's terms
    the knowledge base knows at all, `topical` whether one of them names a labour-rights
    subject (a synonym group's word or an entry's tag, not just a word some phrasing uses)."""
    if not terms or domain == 0 or not scores or off_topic(text, terms):
        return Verdict.OUT_OF_SCOPE
    limits = ENGLISH if english else CHINESE
    if scores[0] < limits.confident or not topical:
        return Verdict.UNSURE
    if len(scores) > 1 and scores[1] >= limits.ambiguous * scores[0]:
        return Verdict.AMBIGUOUS
    return Verdict.ANSWER
