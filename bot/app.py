"""The composition root: builds the Application with its dependencies and handlers."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.clock import Clock
from bot.config import Config
from bot.context import Ctx, UnionBridgeApplication
from bot.delivery.aiohttp_request import AiohttpRequest
from bot.delivery.limiter import FloodLimiter
from bot.delivery.runtime import DeliveryRuntime
from bot.delivery.shared_limiter import SharedRateLimiter
from bot.deps import Deps
from bot.jobs import daily_greetings, scheduled_tick
from bot.ops import retention
from bot.ops.heap import TRIM_SECONDS, trim_heap
from bot.privacy import install, key_for
from bot.process import (
    ProcessRole,
    start_console,
    start_ops,
    start_worker,
    stop_console,
    stop_ops,
    stop_worker,
)
from bot.update_order import ChatOrderedProcessor
from handlers import console
from handlers.activities import admin as activity_admin
from handlers.activities import compose as activity_compose
from handlers.activities import signups as activity_signups
from handlers.care import life_events
from handlers.cases import desk as case_desk
from handlers.cases import report as case_report
from handlers.cases import stats as case_stats
from handlers.core import conversation, errors, menu
from handlers.core.guard import stale_buttons
from handlers.core.menu import unknown_commands
from handlers.greetings import birthdays
from handlers.members import cadres, groups, profile, quiet, registration
from handlers.notices import acks, receipts, scheduled_notices
from handlers.notices import compose as notice_compose
from handlers.openboard import board as open_board
from handlers.rights import kb_admin
from handlers.rights import questions as rights_questions
from handlers.suggestions import support as suggestion_support
from handlers.votes import ballots
from storage.db import Database

log = logging.getLogger(__name__)
# Each feature's handler module: its handlers() and its conversations (flows()).
FEATURES = (
    registration,
    profile,
    birthdays,
    quiet,
    cadres,
    groups,
    notice_compose,
    acks,
    receipts,
    scheduled_notices,
    case_report,
    case_desk,
    case_stats,
    activity_signups,
    activity_compose,
    activity_admin,
    ballots,
    suggestion_support,
    life_events,
    open_board,
    rights_questions,
    kb_admin,
    console,
    menu,
    conversation,
)
# The update types the handlers take: polling and webhooks ask Telegram for exactly these.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
TICK_SECONDS = 60


def build_application(
    config: Config,
    *,
    db: Database,
    clock: Clock,
    token: str | None = None,
    role: ProcessRole = ProcessRole.ALL,
    schedule_jobs: bool = True,
) -> UnionBridgeApplication:
    """An Application wired to the database, the clock and every feature's handlers."""
    install(key_for(config.privacy, token or config.token))  # the logs' pseudonyms
    limiter = FloodLimiter(
        overall_per_second=config.limits.overall_per_second,
        private_per_second=config.limits.private_per_second,
        group_per_minute=config.limits.group_per_minute,
    )
    deps = Deps(config=config, db=db, clock=clock, delivery=DeliveryRuntime(limiter))
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
        .rate_limiter(SharedRateLimiter(limiter))
        .concurrent_updates(ChatOrderedProcessor(config.delivery.concurrent_updates))
        # aiohttp's client does a Bot API call for a fraction of httpx's CPU.
        .request(AiohttpRequest(connections=32, timeout=10.0, media_timeout=30.0))
        .get_updates_request(AiohttpRequest(connections=1, timeout=10.0, media_timeout=10.0))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if config.telegram.base_url:
        builder = builder.base_url(config.telegram.base_url)
    if config.telegram.base_file_url:
        builder = builder.base_file_url(config.telegram.base_file_url)
    application: UnionBridgeApplication = builder.build()
    application.role = role
    application.schedule_jobs = schedule_jobs
    for feature in FEATURES:
        application.add_handlers(feature.handlers())
        if hasattr(feature, "flows"):
            application.add_flows(feature.flows())
    application.add_handler(unknown_commands())  # after all: a private command nobody took
    application.add_handler(stale_buttons())  # last: any press nobody else took
    application.add_error_handler(errors.on_error)
    return application


async def _tick(context: Ctx) -> None:
    await scheduled_tick(context.deps, instance=context.deps.instance)


async def _greet(context: Ctx) -> None:
    await daily_greetings(context.deps)


async def _retain(context: Ctx) -> None:
    await retention.nightly(context.deps, instance=context.deps.instance)


async def _trim_heap(context: Ctx) -> None:
    await trim_heap()


def _schedule_jobs(application: UnionBridgeApplication) -> None:
    if application.job_queue is None or not application.schedule_jobs:
        return
    deps = application.deps
    # Explicit misfire handling: a run missed by a little still goes; the tick's first run
    # (a second after start) catches up on anything missed while the bot was down.
    options = {"misfire_grace_time": 30, "coalesce": True}
    application.job_queue.run_repeating(
        _tick, interval=TICK_SECONDS, first=1, name="minute-tick", job_kwargs=options
    )
    greeting_time = deps.config.greetings.send_at.replace(tzinfo=deps.config.union.zone)
    application.job_queue.run_daily(
        _greet,
        time=greeting_time,
        name="daily-greetings",
        job_kwargs={"misfire_grace_time": 3600, "coalesce": True},
    )
    application.job_queue.run_daily(
        _retain,
        time=deps.config.retention.run_at.replace(tzinfo=deps.config.union.zone),
        name="nightly-retention",
        job_kwargs={"misfire_grace_time": 3600, "coalesce": True},
    )


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(application, UnionBridgeApplication)
    deps, role = application.deps, application.role
    if role.takes_updates:
        await menu.publish_all(application.bot, deps)
        # The segmenter's dictionary takes half a second; loaded before polling, the first
        # question is answered as fast as the rest.
        await deps.knowledge.load()
    if role.delivers:
        await start_worker(application)
        _schedule_jobs(application)
    if application.job_queue is not None:
        # Every process, whatever its role: each has its own heap to give back.
        application.job_queue.run_repeating(
            _trim_heap, interval=TRIM_SECONDS, first=TRIM_SECONDS, name="heap-trim"
        )
    await start_ops(application)
    await start_console(application)
    log.info("Union Bridge started as @%s (role %s)", application.bot.username, role.value)


async def _post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(application, UnionBridgeApplication)
    await stop_console(application)
    await stop_ops(application)
    await stop_worker(application)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    assert isinstance(application, UnionBridgeApplication)
    await application.deps.db.dispose()
