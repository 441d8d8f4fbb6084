"""Knowledge-base entries: what one answer holds, and the entries shipped with the package."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

CITATION = re.compile(r"《[^《》]+》")


class EntryError(ValueError):
    """An entry that cannot be used; key names the catalogue text that says what to fix."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Entry:
    """One answer: the ways people ask for it, the answer, and the law it rests on.

    Chinese is every entry's base language; `questions_en`/`answer_en` are optional."""

    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    citations: tuple[str, ...]
    tags: tuple[str, ...] = ()
    questions_en: tuple[str, ...] = ()
    answer_en: str = ""
    retired: bool = False
    revision: int = 0  # 0: as shipped; otherwise the id of the cadre's revision in force
    case_id: int | None = None  # the consultation case a cadre's answer came from
    section: str = ""  # the shipped file it belongs to (pay, leaving, …): its subject area
    # Ways workers ask for it that the search learns from but nobody is shown (long, told as a
    # story, with slang or typos): bot/rights/examples/<section>.toml, kept across revisions.
    examples: tuple[str, ...] = ()
    examples_en: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.questions[0]

    def to_data(self) -> dict[str, Any]:
        """The fields a revision stores (everything a cadre can change)."""
        return {
            "topic": self.topic,
            "questions": list(self.questions),
            "answer": self.answer,
            "citations": list(self.citations),
            "tags": list(self.tags),
            "questions_en": list(self.questions_en),
            "answer_en": self.answer_en,
        }


def entry_from_data(
    entry_id: str,
    data: dict[str, Any],
    *,
    retired: bool = False,
    revision: int = 0,
    case_id: int | None = None,
) -> Entry:
    en = data.get("en", {})
    return Entry(
        id=entry_id,
        topic=str(data.get("topic", "")),
        questions=tuple(str(q).strip() for q in data.get("questions", ())),
        answer=str(data.get("answer", "")).strip(),
        citations=tuple(str(c).strip() for c in data.get("citations", ())),
        tags=tuple(str(t) for t in data.get("tags", ())),
        questions_en=tuple(
            str(q).strip() for q in data.get("questions_en", en.get("questions", ()))
        ),
        answer_en=str(data.get("answer_en", en.get("answer", ""))).strip(),
        retired=retired,
        revision=revision,
        case_id=case_id,
    )


def check(entry: Entry, *, citation_required: bool = True) -> None:
    """Raise EntryError if the entry cannot be searched for or cannot be trusted."""
    if not entry.questions or not all(entry.questions):
        raise EntryError("kb_needs_question")
    if not entry.answer:
        raise EntryError("kb_needs_answer")
    if citation_required and not entry.citations:
        raise EntryError("kb_needs_citation")
    for citation in entry.citations:
        if not CITATION.search(citation):
            raise EntryError("kb_bad_citation", citation=citation)
    if bool(entry.questions_en) != bool(entry.answer_en):
        raise EntryError("kb_needs_both_english")


def shipped() -> list[Entry]:
    """The entries in bot/rights/entries/*.toml with their examples, checked; a bad file fails
    loudly at start."""
    found: list[Entry] = []
    seen: set[str] = set()
    folder = resources.files("bot.rights").joinpath("entries")
    examples = _examples()
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if not item.name.endswith(".toml"):
            continue
        for raw in tomllib.loads(item.read_text(encoding="utf-8")).get("entry", []):
            entry = entry_from_data(str(raw["id"]), raw)
            asked = examples.pop(entry.id, {})
            entry = replace(
                entry,
                section=item.name[:-5],
                examples=tuple(str(q).strip() for q in asked.get("zh", ())),
                examples_en=tuple(str(q).strip() for q in asked.get("en", ())),
            )
            if entry.id in seen:
                raise ValueError(f"{item.name}: entry id {entry.id!r} is used twice")
            try:
                check(entry)
            except EntryError as exc:
                raise ValueError(f"{item.name}: entry {entry.id!r}: {exc.key}") from exc
            seen.add(entry.id)
            found.append(entry)
    if examples:
        raise ValueError(f"rights/examples: no entry has the id(s) {sorted(examples)}")
    return found


def _examples() -> dict[str, dict[str, list[str]]]:
    """Every entry id's examples, {"zh": [...], "en": [...]}, from bot/rights/examples/."""
    found: dict[str, dict[str, list[str]]] = {}
    folder = resources.files("bot.rights").joinpath("examples")
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.name.endswith(".toml"):
            for entry_id, asked in tomllib.loads(item.read_text(encoding="utf-8")).items():
                if entry_id in found:
                    raise ValueError(f"rights/examples/{item.name}: {entry_id!r} twice")
                found[entry_id] = asked
    return found
