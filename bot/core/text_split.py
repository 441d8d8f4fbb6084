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


# (is_tag, raw, shown, size): a tag whole, or one character or entity of text with what it
# shows and its length in UTF-16 units, worked out once per character.
_Atom = tuple[bool, str, str, int]
_CHARACTER = re.compile(r"&[#a-zA-Z0-9]+;|.", re.DOTALL)
_BREAK_ENDS = frozenset(mark[-1] for mark in _BREAKS)


def _atoms(markup: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for token in _TOKEN.split(markup):
        if token.startswith("<"):
            atoms.append((True, token, "", 0))
            continue
        for match in _CHARACTER.finditer(token):
            raw = match.group(0)
            shown = html.unescape(raw) if raw.startswith("&") else raw
            size = 1 if len(shown) == 1 and shown < "\U00010000" else visible_length(shown)
            atoms.append((False, raw, shown, size))
    return atoms


def _score(visible: str) -> int:
    if not visible or visible[-1] not in _BREAK_ENDS:
        return 0
    for rank, mark in enumerate(_BREAKS):
        if visible.endswith(mark):
            return len(_BREAKS) - rank
    return 0


@dataclass
class _Cut:
    end: int
    stack: list[str] = field(default_factory=list)


def _next_cut(atoms: list[_Atom], start: int, reopen: list[str], limit: int) -> _Cut:
    stack = list(reopen)
    length, visible, index = 0, "", start
    best_end, best_stack, best_score = start, tuple(stack), -1
    while index < len(atoms):
        is_tag, raw, shown, size = atoms[index]
        index += 1
        if is_tag:
            if not raw.startswith("</"):
                stack.append(raw)
            elif stack and _tag_name(stack[-1]) == _tag_name(raw):
                stack.pop()
            continue
        if length + size > limit:
            if best_end > start:
                return _Cut(best_end, list(best_stack))
            return _Cut(index - 1, list(stack))
        length += size
        visible = (visible + shown)[-2:]
        score = _score(visible) if length * 2 >= limit else 0
        if score >= best_score:
            best_end, best_stack, best_score = index, tuple(stack), score
    return _Cut(index, stack)


def split_html(markup: str, limit: int = 4096) -> list[str]:
    """Pieces of at most `limit` visible characters each, every piece valid HTML."""
    text = html.unescape(_TOKEN.sub("", markup))
    if visible_length(text) <= limit:  # most messages: one piece, nothing to cut
        return [markup.strip()] if text.strip() else []
    atoms = _atoms(markup)
    pieces: list[str] = []
    start, reopen = 0, list[str]()
    while start < len(atoms):
        cut = _next_cut(atoms, start, reopen, limit)
        body = "".join(reopen) + "".join(atom[1] for atom in atoms[start : cut.end])
        closing = "".join(f"</{_tag_name(tag)}>" for tag in reversed(cut.stack))
        piece = (body + closing).strip()
        if html.unescape(_TOKEN.sub("", piece)).strip():
            pieces.append(piece)
        start, reopen = cut.end, cut.stack
    return pieces
