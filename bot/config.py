"""The one configuration model, loaded from TOML and the environment."""

from __future__ import annotations

import os
import tomllib
from datetime import time as time_type
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.activities.settings import ActivitiesConfig
from bot.category_names import CATEGORIES_EN, category_label
from bot.console.settings import ConsoleConfig
from bot.greetings.settings import GreetingsConfig
from bot.notices.settings import NoticesConfig
from bot.ops.retention_settings import RetentionConfig
from bot.ops.settings import OpsConfig
from bot.privacy.settings import PrivacyConfig
from storage.db import MAX_OVERFLOW, POOL_SIZE

TOKEN_ENV = "UNIONBRIDGE_TOKEN"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///unionbridge.db"


class ConfigError(Exception):
    """A configuration problem, worded for the person editing the file."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebhookConfig(_Strict):
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8443
    url_path: str = "telegram"
    webhook_url: str = ""
    secret_token: str = ""

    @field_validator("secret_token")
    @classmethod
    def _secret_token_charset(cls, value: str) -> str:
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if value and (len(value) > 256 or not set(value) <= allowed):
            raise ValueError("use 1-256 characters from A-Z, a-z, 0-9, _ and -")
        return value


class TelegramConfig(_Strict):
    token: str = ""
    base_url: str = ""
    base_file_url: str = ""
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookConfig = WebhookConfig()

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramConfig:
        if self.mode == "webhook" and not self.webhook.webhook_url:
            raise ValueError(
                "mode = 'webhook' needs [telegram.webhook] webhook_url, the public HTTPS URL"
            )
        return self


class DatabaseConfig(_Strict):
    url: str = DEFAULT_DATABASE_URL
    # PostgreSQL: connections an instance keeps open, and how many more it may open for a
    # peak (those are closed again after use, at the cost of a new login each time).
    pool_size: Annotated[int, Field(ge=1, le=500)] = POOL_SIZE
    max_overflow: Annotated[int, Field(ge=0, le=500)] = MAX_OVERFLOW

    @field_validator("url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "use sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/db"
            )
        return value


class UnionConfig(_Strict):
    name: str = "工会"
    timezone: str = "Asia/Shanghai"
    departments: list[str] = Field(default_factory=lambda: ["综合部"])
    admins: list[int] = Field(default_factory=list)
    default_language: Literal["zh", "en"] = "zh"
    # English names of departments, by their name above, for members who read English.
    departments_en: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_english_names(self) -> UnionConfig:
        unknown = set(self.departments_en) - set(self.departments)
        if unknown:
            raise ValueError(f"departments_en names unknown department {sorted(unknown)[0]!r}")
        return self

    def department_name(self, department: str, lang: str) -> str:
        """A department as a member reading `lang` sees it (English when the union gave one)."""
        return self.departments_en.get(department, department) if lang == "en" else department

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"'{value}' is not a known time zone; use an IANA name such as Asia/Shanghai"
            ) from None
        return value

    @field_validator("departments")
    @classmethod
    def _departments_usable(cls, value: list[str]) -> list[str]:
        cleaned = [name.strip() for name in value]
        if not cleaned or any(not name for name in cleaned):
            raise ValueError("list at least one department, each a non-empty name")
        if len(set(cleaned)) != len(cleaned):
            raise ValueError("department names must be unique")
        if any(len(name) > 32 for name in cleaned):
            raise ValueError("keep each department name to 32 characters or fewer")
        return cleaned

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class LimitsConfig(_Strict):
    """Telegram's sending limits; raise them only for a local Bot API server or tests."""

    overall_per_second: Annotated[int, Field(ge=1, le=10_000)] = 30
    private_per_second: Annotated[float, Field(gt=0, le=1_000)] = 1.0
    group_per_minute: Annotated[int, Field(ge=1, le=100_000)] = 20


class DeliveryConfig(_Strict):
    """The outbox worker: the cap on sends in flight, and how long a claim is held."""

    concurrency: Annotated[int, Field(ge=1, le=256)] = 64
    send_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    lease_seconds: Annotated[int, Field(ge=10, le=3600)] = 60
    poll_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
    # Live counts under group posts (notices, activities, suggestions) are edited at most
    # once per this many seconds per message.
    live_count_seconds: Annotated[int, Field(ge=3, le=3600)] = 10
    # Updates from different chats handled at once (each chat's in order).
    concurrent_updates: Annotated[int, Field(ge=1, le=512)] = 32


class SlaSetting(_Strict):
    ack_days: Annotated[int, Field(ge=0, le=30)] = 1
    resolve_days: Annotated[int, Field(ge=1, le=120)] = 7


class CasesConfig(_Strict):
    """Grievance cases: categories, deadlines in working days, and who hears of new cases."""

    categories: list[str] = Field(
        default_factory=lambda: [
            "工资待遇",
            "工时加班",
            "安全生产",
            "合同与解雇",
            "社会保险",
            "食堂宿舍设施",
            "欺凌骚扰",
            "其他",
        ]
    )
    # English names of categories by their Chinese names (bot/category_names.py has defaults).
    categories_en: dict[str, str] = Field(default_factory=lambda: dict(CATEGORIES_EN))
    sla: SlaSetting = SlaSetting()
    sla_by_category: dict[str, SlaSetting] = Field(default_factory=dict)
    # Warn an anonymous reporter when their department has fewer members than this.
    small_department: Annotated[int, Field(ge=0, le=1000)] = 15
    # A group of cadres told that a case arrived (never its text), or 0 for none.
    cadres_chat: int = 0
    remind_hours_before: Annotated[int, Field(ge=0, le=72)] = 4
    max_text: Annotated[int, Field(ge=100, le=100_000)] = 20_000

    @model_validator(mode="after")
    def _known_categories(self) -> CasesConfig:
        unknown = set(self.sla_by_category) - set(self.categories)
        if unknown:
            raise ValueError(f"sla_by_category names unknown category {sorted(unknown)[0]!r}")
        if not self.categories or len(set(self.categories)) != len(self.categories):
            raise ValueError("list each case category once")
        return self

    def sla_for(self, category: str) -> SlaSetting:
        return self.sla_by_category.get(category, self.sla)

    def category_name(self, category: str, lang: str) -> str:
        """A category as a member reading `lang` sees it (a life event's by its kind's name)."""
        return category_label(category, lang, self.categories_en)


class CareConfig(_Strict):
    """Care visits and hardship aid: spending caps per kind (yuan), documents, re-checks."""

    caps: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=lambda: {
            "illness": 500,
            "wedding": 500,
            "birth": 500,
            "bereavement": 1000,
            "hardship": 2000,
        }
    )
    hardship_documents: list[str] = Field(
        default_factory=lambda: ["申请书", "家庭收入证明", "病历或费用单据", "社区证明"]
    )
    recheck_days: Annotated[int, Field(ge=30, le=1000)] = 365


class RightsConfig(_Strict):
    """Rights Q&A: whether /ask sent in a group is answered in the group (a general rights
    answer names nobody) or privately, with a link to the private chat."""

    answer_in_groups: bool = False


class OpenConfig(_Strict):
    """The open board (公开栏): the smallest count shown as a number (fewer shows 「<N」, so
    no figure points at a person), and the opt-in monthly post in the bound groups."""

    min_count: Annotated[int, Field(ge=2, le=100)] = 3
    monthly_post: bool = False
    post_day: Annotated[int, Field(ge=1, le=28)] = 1
    post_time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "09:00"

    @property
    def post_at(self) -> time_type:
        hour, minute = self.post_time.split(":")
        return time_type(int(hour), int(minute))


class Config(_Strict):
    telegram: TelegramConfig = TelegramConfig()
    database: DatabaseConfig = DatabaseConfig()
    union: UnionConfig = UnionConfig()
    limits: LimitsConfig = LimitsConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    notices: NoticesConfig = NoticesConfig()
    greetings: GreetingsConfig = GreetingsConfig()
    cases: CasesConfig = CasesConfig()
    activities: ActivitiesConfig = ActivitiesConfig()
    care: CareConfig = CareConfig()
    rights: RightsConfig = RightsConfig()
    open: OpenConfig = OpenConfig()
    ops: OpsConfig = OpsConfig()
    console: ConsoleConfig = ConsoleConfig()
    retention: RetentionConfig = RetentionConfig()
    privacy: PrivacyConfig = PrivacyConfig()

    @property
    def token(self) -> str:
        """The bot token: the environment wins over the file, so the file can be shared."""
        return os.environ.get(TOKEN_ENV, "") or self.telegram.token


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        if item["type"] == "extra_forbidden":
            section = "[" + ".".join(location[:-1]) + "] " if len(location) > 1 else ""
            lines.append(f"unknown key {section}{location[-1]}: remove it or check its spelling")
            continue
        section = ".".join(location[:-1])
        key = f"[{section}] {location[-1]}" if section else location[-1] if location else "file"
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{key}: {message}")
    return "\n".join(lines)


def parse_config(text: str, *, source: str = "config") -> Config:
    """Parse TOML text into a Config, or raise ConfigError naming each bad key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}:\n{_describe(exc)}") from None


def load_config(path: Path | None) -> Config:
    """Load the config file; no file at the default path means all defaults."""
    if path is None:
        default = Path("config.toml")
        if not default.exists():
            return Config()
        path = default
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file; copy config.example.toml to {path} and edit it"
        ) from None
    return parse_config(text, source=str(path))
