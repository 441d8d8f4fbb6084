"""The composition root: builds the Application with its dependencies and handlers."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults

from bot.clock import Clock
from bot.config import Config
from bot.context import Ctx, Deps, UnionBridgeApplication
from handlers import cadres, dialog, errors, groups, menu, profile, registration
from storage.db import Database

log = logging.getLogger(__name__)
FEATURES = (registration, profile, cadres, groups, menu, dialog)


def build_application(
    config: Config, *, db: Database, clock: Clock, token: str | None = None
) -> UnionBridgeApplication:
    """An Application wired to the database, the clock and every feature's handlers."""
    deps = Deps(config=config, db=db, clock=clock)
    limits = config.limits
    builder: Any = (
        ApplicationBuilder()
        .application_class(UnionBridgeApplication, kwargs={"deps": deps})
        .token(token or config.token)
        .context_types(ContextTypes(context=Ctx))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=ZoneInfo(config.union.timezone),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=limits.overall_per_second,
                overall_time_period=1,
                group_max_rate=limits.group_per_minute,
                group_time_period=60,
                max_retries=3,
            )
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if config.telegram.base_url:
        builder = builder.base_url(config.telegram.base_url)
    if config.telegram.base_file_url:
        builder = builder.base_file_url(config.telegram.base_file_url)
    application: UnionBridgeApplication = builder.build()
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
    application.add_error_handler(errors.on_error)
    return application


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(application, UnionBridgeApplication)
    await menu.publish_all(application.bot, application.deps)
    log.info("Union Bridge started as @%s", application.bot.username)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(application, UnionBridgeApplication)
    await application.deps.db.dispose()


ALLOWED_UPDATES = Update.ALL_TYPES
