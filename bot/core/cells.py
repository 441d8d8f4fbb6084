"""Cells of an exported spreadsheet or CSV, made inert: a text beginning with = + - @ (or a
tab or carriage return) would be taken by Excel or LibreOffice as a formula — a member's
name could then run one on a cadre's machine. Such a text gets a leading apostrophe, as
OWASP advises, so it is shown, never evaluated."""

from __future__ import annotations

from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """The value as it may go into a cell: numbers as they are, risky texts disarmed."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def inert_row(values: Iterable[object]) -> list[object]:
    return [inert(value) for value in values]
