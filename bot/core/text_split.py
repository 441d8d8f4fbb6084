"""Splitting a long HTML message into pieces Telegram accepts, at sensible boundaries.

Length is counted as Telegram does (UTF-16 units of the visible text). A cut prefers a
paragraph break, then a line break, then the end of a sentence, then a comma or space, and
only then any character — looking in the second half of the piece so no piece is tiny.
Tags open at a cut are closed, and reopened at the start of the next piece.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9-]+)")
_BREAKS = ("\n\n", "\n", "。", "！", "？", ". ", "! ", "? ", "；", "; ", "，", ", ", " ")


def visible_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _tag_name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def _atoms(markup: str) -> list[tuple[bool, str]]:
    """(is_tag, raw) pieces: tags whole, text one character (or entity) at a time."""
    atoms: list[tuple[bool, str]] = []
    for token in _TOKEN.split(markup):
        if token.startswith("<"):
            atoms.append((True, token))
        elif token:
            atoms.extend(
                (False, m.group(0)) for m in re.finditer(r"&[#a-zA-Z0-9]+;|.", token, re.DOTALL)
            )
    return atoms


def _score(visible: str) -> int:
    for rank, mark in enumerate(_BREAKS):
        if visible.endswith(mark):
            return len(_BREAKS) - rank
    return 0


@dataclass
class _Cut:
    end: int
    stack: list[str] = field(default_factory=list)
    score: int = -1


def _next_cut(atoms: list[tuple[bool, str]], start: int, reopen: list[str], limit: int) -> _Cut:
    stack = list(reopen)
    length, visible, index = 0, "", start
    best = _Cut(start)
    while index < len(atoms):
        is_tag, raw = atoms[index]
        if is_tag:
            if not raw.startswith("</"):
                stack.append(raw)
            elif stack and _tag_name(stack[-1]) == _tag_name(raw):
                stack.pop()
            index += 1
            continue
        size = visible_length(html.unescape(raw))
        if length + size > limit:
            return best if best.end > start else _Cut(index, list(stack))
        length += size
        visible = (visible + html.unescape(raw))[-2:]
        index += 1
        score = _score(visible) if length * 2 >= limit else 0
        if score >= best.score:
            best = _Cut(index, list(stack), score)
    return _Cut(index, stack)


def split_html(markup: str, limit: int = 4096) -> list[str]:
    """Pieces of at most `limit` visible characters each, every piece valid HTML."""
    atoms = _atoms(markup)
    pieces: list[str] = []
    start, reopen = 0, list[str]()
    while start < len(atoms):
        cut = _next_cut(atoms, start, reopen, limit)
        body = "".join(reopen) + "".join(raw for _, raw in atoms[start : cut.end])
        closing = "".join(f"</{_tag_name(tag)}>" for tag in reversed(cut.stack))
        piece = (body + closing).strip()
        if html.unescape(_TOKEN.sub("", piece)).strip():
            pieces.append(piece)
        start, reopen = cut.end, cut.stack
    return pieces
