"""Every catalogue key the code uses is written out (no key built at run time), exists in
both catalogues, and every status or kind shown to people has a label in both."""

from __future__ import annotations

import ast

import pytest

from bot.core.labels import LABELS, SHOWN
from bot.strings import catalogue, placeholders
from tests.architecture.source import calls, modules


def _key_arguments() -> list[tuple[str, int, ast.expr]]:
    found = []
    for module in modules("bot", "handlers"):
        for call in calls(module):
            if isinstance(call.func, ast.Name) and call.func.id == "t" and len(call.args) >= 2:
                found.append((module.path, call.lineno, call.args[1]))
    return found


def test_no_key_is_built_at_run_time() -> None:
    built = [
        f"{path}:{line}"
        for path, line, key in _key_arguments()
        if isinstance(key, ast.JoinedStr | ast.BinOp)
    ]
    assert built == []


def test_every_written_key_exists() -> None:
    zh = catalogue("zh")
    missing = [
        f"{path}:{line} {key.value}"
        for path, line, key in _key_arguments()
        if isinstance(key, ast.Constant) and key.value not in zh
    ]
    assert missing == []


def test_every_call_gives_exactly_the_placeholders_its_template_needs() -> None:
    zh = catalogue("zh")
    wrong = []
    for module in modules("bot", "handlers"):
        for call in calls(module):
            if not (isinstance(call.func, ast.Name) and call.func.id == "t"):
                continue
            if len(call.args) < 2 or not isinstance(call.args[1], ast.Constant):
                continue
            if any(keyword.arg is None for keyword in call.keywords):
                continue  # **values: checked when rendered
            key = call.args[1].value
            given = {keyword.arg for keyword in call.keywords}
            if key in zh and given != placeholders(zh[key]):
                wrong.append(f"{module.path}:{call.lineno} {key} {sorted(given)}")
    assert wrong == []


@pytest.mark.parametrize("enum", SHOWN, ids=lambda e: e.__name__)
def test_every_status_has_a_label_in_both_languages(enum: type) -> None:
    for value in enum:
        key = LABELS.get((enum, value.value))
        assert key is not None, f"{enum.__name__}.{value.name} has no label"
        assert key in catalogue("zh") and key in catalogue("en"), key
