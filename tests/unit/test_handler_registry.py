"""Every handler the application registers goes through the role guard."""

from datetime import UTC, datetime

from telegram.ext import CallbackQueryHandler

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Config
from handlers.core.guard import ROLE_ATTRIBUTE
from storage.db import Database


def test_all_handlers_are_guarded_and_patterns_anchored() -> None:
    config = Config.model_validate({"telegram": {"token": "1:x"}})
    app = build_application(
        config,
        db=Database("sqlite+aiosqlite:///:memory:"),
        clock=ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),
    )
    registered = [handler for group in app.handlers.values() for handler in group]
    assert len(registered) >= 10
    unguarded = [h for h in registered if not hasattr(h.callback, ROLE_ATTRIBUTE)]
    assert unguarded == []
    for handler in registered:
        if isinstance(handler, CallbackQueryHandler):
            pattern = handler.pattern
            assert pattern is not None and not isinstance(pattern, str | type)
            assert not callable(pattern)
            assert pattern.pattern.startswith("^") and pattern.pattern.endswith("$")
