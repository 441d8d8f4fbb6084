"""Small files with one job each: no module over 400 lines, no function over 60."""

from __future__ import annotations

import ast

from tests.architecture.source import modules

MODULE_LINES = 400
FUNCTION_LINES = 60


def test_modules_are_small() -> None:
    found = [
        f"{module.path}: {module.lines} lines"
        for module in modules("bot", "handlers")
        if module.lines > MODULE_LINES
    ]
    assert found == []


def test_functions_are_small() -> None:
    found = []
    for module in modules("bot", "handlers"):
        for node in ast.walk(module.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                name = f"{module.path}:{node.name}"
                if length > FUNCTION_LINES:
                    found.append(f"{name}: {length} lines")
    assert found == []
