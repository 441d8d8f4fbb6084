"""The layers hold: handlers are thin and call services, services are Telegram-free, ORM
calls live only in storage/, and every outbox key is built in one module."""

from __future__ import annotations

import ast

from tests.architecture.source import Module, calls, imports, modules

ORM_CALLS = {"get", "add", "add_all", "exec", "execute", "delete", "refresh", "flush", "merge"}
# Handler modules may name storage types, not run queries.
STORAGE_TYPES = {"storage.models", "storage.statuses", "storage.db"}
# Where Telegram's own library may be used inside bot/: the composition root, the typed
# context, and the delivery engine's transport.
TELEGRAM_IN_BOT = {
    "bot/app.py",
    "bot/context.py",
    "bot/lifecycle.py",
    "bot/process.py",
    "bot/ops/doctor.py",
    "bot/webhook.py",
    "bot/update_order.py",
    "bot/delivery/aiohttp_request.py",
    "bot/delivery/shared_limiter.py",
    "bot/delivery/telegram_transport.py",
}
# The two places an outbox row's columns are written out.
ROW_BUILDERS = {"bot/delivery/outgoing.py", "storage/outbox.py"}


def _orm_calls(module: Module) -> list[str]:
    found = []
    for call in calls(module):
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ORM_CALLS
            and isinstance(func.value, ast.Name)
            and func.value.id == "session"
        ):
            found.append(f"{module.path}:{call.lineno} session.{func.attr}")
    return found


def test_orm_session_calls_only_in_storage() -> None:
    found = [hit for module in modules("bot", "handlers") for hit in _orm_calls(module)]
    assert found == []


def test_orm_query_building_only_in_storage() -> None:
    found = [
        f"{module.path}:{line} {name}"
        for module in modules("bot", "handlers")
        for name, line in imports(module)
        if name in {"sqlmodel", "sqlalchemy"} or name.startswith("sqlalchemy.")
    ]
    assert found == []


def test_handlers_call_services_not_queries() -> None:
    found = [
        f"{module.path}:{line} imports {name}"
        for module in modules("handlers")
        for name, line in imports(module)
        if (name == "storage" or name.startswith("storage.")) and name not in STORAGE_TYPES
    ]
    assert found == []


def test_services_are_telegram_free_and_storage_never_sees_telegram() -> None:
    found = [
        f"{module.path}:{line} imports {name}"
        for module in modules("bot", "storage")
        if module.path not in TELEGRAM_IN_BOT
        and not module.path.startswith(("bot/emulator/", "bot/sandbox/"))
        for name, line in imports(module)
        if name == "telegram" or name.startswith("telegram.")
    ]
    assert found == []


def test_imports_point_one_way() -> None:
    found = [
        f"{module.path}:{line} imports {name}"
        for module in modules("bot", "storage")
        if module.path not in {"bot/app.py", "bot/cli.py"}
        for name, line in imports(module)
        if name == "handlers" or name.startswith("handlers.")
    ]
    found += [
        f"{module.path}:{line} imports {name}"
        for module in modules("storage")
        for name, line in imports(module)
        if name == "bot" or name.startswith("bot.")
    ]
    assert found == []


def test_outbox_keys_are_built_only_in_the_keys_module() -> None:
    found = []
    for module in modules("bot", "handlers", "storage"):
        if module.path == "bot/delivery/keys.py":
            continue
        for call in calls(module):
            if isinstance(call.func, ast.Name) and call.func.id == "OutboxKey":
                found.append(f"{module.path}:{call.lineno} builds an OutboxKey")
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Dict):
                writes_row = any(
                    isinstance(key, ast.Constant) and key.value == "key" for key in node.keys
                )
                if writes_row and module.path not in ROW_BUILDERS:
                    found.append(f"{module.path}:{node.lineno} writes an outbox row")
    assert found == []


def test_only_the_outgoing_module_queues() -> None:
    found = [
        f"{module.path}:{call.lineno}"
        for module in modules("bot", "handlers")
        if module.path != "bot/delivery/outgoing.py"
        for call in calls(module)
        if isinstance(call.func, ast.Attribute)
        and call.func.attr == "enqueue"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "outbox"
    ]
    assert found == []


def test_no_handler_splits_callback_data() -> None:
    found = [
        f"{module.path}:{number}"
        for module in modules("handlers")
        for number, line in enumerate(module.text.splitlines(), 1)
        if "data.split" in line or "data.partition" in line
    ]
    assert found == []
