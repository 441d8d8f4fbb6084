"""A negated verb is one search term: 工资都没发 asks about arrears and 公司没给我交社保 about
unpaid contributions, but cut into words the 没 and the 发 are each noise (没 is a stopword, a
lone 发 says nothing). Joined, 没发 means what a phrasing's 不发 means.

Pure: works on the segmenter's pieces, before synonyms fold them, for questions and phrasings
alike, so both are searched by the same joined terms.
"""

from __future__ import annotations

NEGATIONS = frozenset(
    {"没", "没有", "不", "未", "从没", "从不", "一直没", "一直不", "都没", "还没"}
)
# Verbs whose negation is what a worker complains about: pay not paid, contributions not made,
# a contract not signed, leave not granted, a certificate not issued.
VERBS = {
    "发": "发",
    "给": "给",
    "交": "交",
    "缴": "交",
    "买": "交",
    "签": "签",
    "批": "批",
    "休": "休",
    "开": "开",
    "结": "结",
    "付": "付",
    "报": "报",
    "续": "续",
    "管": "管",
    "赔": "赔",
    "退": "退",
}
# Words that may stand between the negation and its verb (没给我交, 都没发, 一直不给).
_BETWEEN = frozenset({"给", "我", "都", "也", "还", "一直", "帮", "给我", "按时", "及时", "再"})
_REACH = 2


def merge_negations(pieces: list[str]) -> list[str]:
    """The pieces with each negation joined to the verb it negates (没给我交 → 没交)."""
    out: list[str] = []
    i = 0
    while i < len(pieces):
        verb_at = _verb_after(pieces, i) if pieces[i] in NEGATIONS else None
        if verb_at is None:
            out.append(pieces[i])
            i += 1
            continue
        out.append("没" + VERBS[pieces[verb_at]])
        i = verb_at + 1
    return out


def _verb_after(pieces: list[str], at: int) -> int | None:
    """Where the verb negated at `at` is, if one follows within reach."""
    for step in range(1, _REACH + 2):
        if at + step >= len(pieces):
            return None
        piece = pieces[at + step]
        if piece in VERBS:
            # 没给我交: 给 here only leads to the verb after it.
            if piece == "给" and at + step + 1 < len(pieces) and _leads_on(pieces, at + step):
                continue
            return at + step
        if piece not in _BETWEEN:
            return None
    return None


def _leads_on(pieces: list[str], at: int) -> bool:
    """Whether a 给 is followed (within reach) by another negatable verb."""
    for step in range(1, _REACH + 1):
        if at + step >= len(pieces):
            return False
        if pieces[at + step] in VERBS:
            return True
        if pieces[at + step] not in _BETWEEN:
            return False
    return False
