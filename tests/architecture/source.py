"""Reading the project's own source for the architecture tests."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Module:
    path: str  # relative to the project root, e.g. "bot/notices/release.py"
    text: str
    tree: ast.Module

    @property
    def lines(self) -> int:
        return len(self.text.splitlines())


@cache
def modules(*packages: str) -> tuple[Module, ...]:
    found = []
    for package in packages:
        for file in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in file.parts:
                continue
            text = file.read_text(encoding="utf-8")
            found.append(Module(str(file.relative_to(ROOT)), text, ast.parse(text)))
    return tuple(found)


def calls(module: Module) -> Iterator[ast.Call]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            yield node


def imports(module: Module) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import statement."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
