"""The console is an adapter like the handlers: its HTTP layer calls services and may name
storage's types, never run storage's queries, and never imports Telegram's library."""

from __future__ import annotations

from tests.architecture.source import imports, modules

STORAGE_TYPES = {"storage.models", "storage.statuses"}
# The console's one service of its own: the login links, over their own table.
SERVICES = {"bot/console/logins.py"}


def test_the_console_calls_services_not_queries() -> None:
    found = [
        f"{module.path}:{line} imports {name}"
        for module in modules("bot")
        if module.path.startswith("bot/console/") and module.path not in SERVICES
        for name, line in imports(module)
        if (name == "storage" or name.startswith("storage.")) and name not in STORAGE_TYPES
    ]
    assert found == []


def test_the_console_is_telegram_free() -> None:
    found = [
        f"{module.path}:{line} imports {name}"
        for module in modules("bot")
        if module.path.startswith("bot/console/")
        for name, line in imports(module)
        if name == "telegram" or name.startswith("telegram.")
    ]
    assert found == []
