"""The knowledge base in force: the shipped entries overlaid with the cadres' revisions.

The index is built at the first question and rebuilt when a revision appears — in this process or
another one sharing the database — so a cadre's edit answers the next question, no restart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rights.entries import Entry, entry_from_data, shipped
from bot.rights.lexicon import Lexicon, lexicon
from bot.rights.search import Index
from storage import rights
from storage.models import KbRevision


def entry_of(revision: KbRevision) -> Entry:
    return entry_from_data(
        revision.entry_id,
        revision.data,
        retired=revision.retired,
        revision=revision.id or 0,
        case_id=revision.case_id,
    )


def overlay(base: Sequence[Entry], revisions: Sequence[KbRevision]) -> list[Entry]:
    """Shipped entries in their order, each replaced by its newest revision; entries that
    exist only as revisions (written by cadres) follow, oldest first."""
    newest = {revision.entry_id: entry_of(revision) for revision in revisions}
    # A revised entry stays in the subject area it was shipped in, learnt from the same
    # examples of how workers ask for it.
    merged = [
        replace(
            newest.pop(entry.id),
            section=entry.section,
            examples=entry.examples,
            examples_en=entry.examples_en,
        )
        if entry.id in newest
        else entry
        for entry in base
    ]
    return merged + list(newest.values())


class KnowledgeBase:
    """Hands out an Index that is current with the database."""

    def __init__(self, base: Sequence[Entry] | None = None) -> None:
        self._base = list(base) if base is not None else None
        self._lexicon: Lexicon | None = None
        self._index: Index | None = None
        self._entries: list[Entry] = []
        self._mark = -1
        self._lock = asyncio.Lock()

    async def load(self) -> None:
        """Read the shipped entries and load the segmenter (about half a second) off the
        event loop, so the first question is answered as fast as the rest."""
        if self._lexicon is None:
            self._lexicon = await asyncio.to_thread(lexicon)
        if self._base is None:
            self._base = await asyncio.to_thread(shipped)

    async def index(self, session: AsyncSession) -> Index:
        mark = await rights.newest_revision_id(session)
        if self._index is not None and mark == self._mark:
            return self._index
        async with self._lock:
            if self._index is None or mark != self._mark:
                await self.load()
                assert self._base is not None and self._lexicon is not None
                revisions = await rights.revisions_in_force(session)
                self._entries = overlay(self._base, revisions)
                # Indexing takes a second or two of CPU: in a thread, so the bot goes on
                # answering everyone else meanwhile (the lexicon locks what it learns).
                self._index = await asyncio.to_thread(Index, self._entries, self._lexicon)
                self._mark = mark
        return self._index

    async def find(self, session: AsyncSession, entry_id: str) -> Entry | None:
        """An entry by id, retired ones included (a cadre may look at and restore those)."""
        await self.index(session)
        return next((e for e in self._entries if e.id == entry_id), None)

    async def all_entries(self, session: AsyncSession) -> list[Entry]:
        await self.index(session)
        return list(self._entries)
