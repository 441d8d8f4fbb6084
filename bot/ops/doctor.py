"""`unionbridge doctor`: what an admin runs when something seems wrong. Each check says ✓ or
✗, what it found, and for a ✗ what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from telegram import Bot, ChatMember, ChatMemberAdministrator
from telegram.error import Forbidden, InvalidToken, TelegramError

from bot.clock import Clock
from bot.config import Config
from bot.greetings.calendar import workday_status
from storage import groups, members, outbox
from storage.db import Database
from storage.migrate import current_revision, head_revision

SANE_GREETING = (time(6, 0), time(21, 0))
QUIET_SHARE_WARNING = 0.3  # more than this share asleep at greeting time deserves a look


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        text = f"{mark} {self.name}: {self.detail}"
        return text + (f"\n    fix: {self.fix}" if self.fix and not self.ok else "")


def _bot(config: Config) -> Bot:
    telegram = config.telegram
    return Bot(
        config.token,
        base_url=telegram.base_url or "https://api.telegram.org/bot",
        base_file_url=telegram.base_file_url or "https://api.telegram.org/file/bot",
    )


async def telegram_checks(config: Config, bot: Bot) -> list[Check]:
    """The token works, and Telegram sends updates the way the config expects."""
    try:
        await bot.initialize()
    except (InvalidToken, Forbidden, TelegramError) as exc:
        fix = "copy the token again from @BotFather into UNIONBRIDGE_TOKEN (or [telegram] token)"
        return [Check("token", False, f"Telegram refuses it ({exc.message})", fix)]
    checks = [Check("token", True, f"works, the bot is @{bot.username}")]
    info = await bot.get_webhook_info()
    hook = config.telegram.webhook
    if config.telegram.mode == "polling" and info.url:
        checks.append(
            Check(
                "mode",
                False,
                f"config says polling but Telegram has a webhook set ({info.url})",
                "`unionbridge run` removes it when it starts polling; or set [telegram] mode = "
                '"webhook" if this instance should receive it',
            )
        )
    elif config.telegram.mode == "webhook" and info.url != hook.webhook_url:
        checks.append(
            Check(
                "mode",
                False,
                f"Telegram sends updates to {info.url or 'nowhere'}, the config says "
                f"{hook.webhook_url}",
                "start the bot (it sets the webhook), and check [telegram.webhook] webhook_url",
            )
        )
    else:
        checks.append(Check("mode", True, f"{config.telegram.mode}, as configured"))
    return checks


async def database_check(db: Database) -> Check:
    try:
        current, head = await current_revision(db), head_revision()
    except Exception as exc:
        return Check(
            "database",
            False,
            f"does not answer ({type(exc).__name__})",
            "check [database] url and that the database server is running",
        )
    if current != head:
        return Check(
            "database",
            False,
            f"schema at {current or 'nothing'}, this version needs {head}",
            "run `unionbridge db upgrade` (the bot also does it when it starts)",
        )
    return Check("database", True, f"answers; schema current ({head})")


def _rights(member: ChatMember) -> tuple[bool, bool]:
    """(may send, may pin) for the bot's own membership."""
    if isinstance(member, ChatMemberAdministrator):
        return True, bool(member.can_pin_messages)
    return member.status == ChatMember.MEMBER, False


async def group_checks(db: Database, bot: Bot) -> list[Check]:
    """Each bound group still has the bot, and it may do what notices need there."""
    async with db.read() as session:
        bound = await groups.with_department(session)
    checks = []
    for group in bound:
        name = f"group «{group.title}» ({group.department})"
        try:
            may_send, may_pin = _rights(await bot.get_chat_member(group.chat_id, bot.id))
        except TelegramError as exc:
            checks.append(
                Check(
                    name, False, f"unreachable ({exc.message})", "add the bot back, or /unbindgroup"
                )
            )
            continue
        if not may_send:
            checks.append(Check(name, False, "the bot may not post there", "add the bot back"))
        elif not may_pin:
            checks.append(
                Check(
                    name,
                    False,
                    "the bot can post but not pin notices",
                    "make the bot an administrator with the right to pin messages",
                )
            )
        else:
            checks.append(Check(name, True, "the bot can post and pin"))
    return checks


def calendar_check(today: date) -> Check:
    """The official working-day arrangement covers this year (and next, from December)."""
    years = [today.year] + ([today.year + 1] if today.month == 12 else [])
    missing = [year for year in years if workday_status(date(year, 1, 2)) == "unknown"]
    if missing:
        return Check(
            "working-day calendar",
            False,
            f"the official arrangement for {', '.join(map(str, missing))} is not installed",
            "pip install -U chinesecalendar (the State Council publishes it each November)",
        )
    return Check("working-day calendar", True, f"covers {', '.join(map(str, years))}")


async def timing_check(config: Config, db: Database) -> Check:
    """The greeting time is a decent hour, and most members are awake then."""
    at = config.greetings.send_at
    if not SANE_GREETING[0] <= at <= SANE_GREETING[1]:
        return Check(
            "greeting time",
            False,
            f"{at:%H:%M} is a time most people sleep",
            "set [greetings] time between 06:00 and 21:00",
        )
    async with db.read() as session:
        windows = await members.quiet_windows(session)
        everyone = await members.count_registered(session)
    minute = at.hour * 60 + at.minute
    asleep = sum(
        1
        for start, end in windows
        if (start <= minute < end if start < end else minute >= start or minute < end)
    )
    if everyone and asleep / everyone > QUIET_SHARE_WARNING:
        return Check(
            "greeting time",
            False,
            f"{asleep} of {everyone} members have quiet hours at {at:%H:%M}; their greetings wait",
            "move [greetings] time to when most of them are awake",
        )
    return Check("greeting time", True, f"{at:%H:%M}; {asleep} members in quiet hours then")


async def outbox_check(config: Config, db: Database, now: datetime) -> Check:
    limit = timedelta(seconds=config.ops.max_outbox_lag_seconds)
    async with db.read() as session:
        oldest = await outbox.oldest_due(session, now=now)
    lag = now - oldest if oldest is not None else timedelta(0)
    if lag > limit:
        return Check(
            "outbox",
            False,
            f"the oldest message due has waited {int(lag.total_seconds())} s",
            "is a bot (or a worker) running? `systemctl status unionbridge`; see its log",
        )
    return Check("outbox", True, f"keeping up ({int(lag.total_seconds())} s behind)")


async def diagnose(config: Config, *, clock: Clock, bot: Bot | None = None) -> list[Check]:
    bot = bot or _bot(config)
    db = Database(config.database.url)
    try:
        checks = await telegram_checks(config, bot)
        database = await database_check(db)
        checks.append(database)
        if checks[0].ok and database.ok:
            checks += await group_checks(db, bot)
        checks.append(calendar_check(clock.now().astimezone(config.union.zone).date()))
        if database.ok:
            checks.append(await timing_check(config, db))
            checks.append(await outbox_check(config, db, clock.now()))
    finally:
        await db.dispose()
        await bot.shutdown()
    return checks
