"""The [greetings] section of the configuration: birthday and festival greetings, the digest."""

from __future__ import annotations

import string
from datetime import date as date_type
from datetime import time as time_type
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.greetings.birthday_dates import Birthday, parse_birthday
from bot.greetings.festivals import KNOWN_KEYS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_template(value: str, allowed: set[str]) -> str:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(value) if name}
    except ValueError as exc:
        raise ValueError(f"not a valid template ({exc}); write placeholders as {{name}}") from None
    unknown = used - allowed
    if unknown:
        raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; use {sorted(allowed)}")
    return value


class FestivalSetting(_Strict):
    """Switch a built-in festival on or off, or give it the union's own words."""

    enabled: bool | None = None
    text: str | None = None

    @field_validator("text")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        return None if value is None else _check_template(value, {"union"})


class CustomFestival(_Strict):
    """A day of the union's own: a founding day, a safety day."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,30}$")]
    name: Annotated[str, Field(min_length=1, max_length=32)]
    date: str
    text: str
    welfare: bool = False

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        parsed = parse_birthday(value, today=date_type(2100, 1, 1))
        if not isinstance(parsed, Birthday) or parsed.year is not None:
            raise ValueError(
                "write the date as 10-18 (solar) or 农历八月初八 (lunar), without a year"
            )
        return value

    @field_validator("text")
    @classmethod
    def _template(cls, value: str) -> str:
        return _check_template(value, {"union"})


class GreetingsConfig(_Strict):
    """Birthday and festival greetings, and the cadres' morning digest."""

    time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "08:00"
    birthday_private: str = (
        "🎂 {name}，生日快乐！{union}祝你身体健康、工作顺利、天天开心{age_note}！"
    )
    birthday_private_en: str = "🎂 Happy birthday, {name}! Best wishes from {union}{age_note}!"
    birthday_group: str = "🎂 今天是{names}的生日，{union}和车间的工友们祝生日快乐！"
    festivals: dict[str, FestivalSetting] = Field(default_factory=dict)
    custom: list[CustomFestival] = Field(default_factory=list)
    digest: bool = True
    # The digest is a morning message: a catch-up after this time (a late start) leaves it out.
    digest_until: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "12:00"
    benefit_reminder_days: Annotated[int, Field(ge=0, le=60)] = 7

    @field_validator("birthday_private", "birthday_private_en")
    @classmethod
    def _private_template(cls, value: str) -> str:
        return _check_template(value, {"name", "department", "union", "age_note"})

    @field_validator("birthday_group")
    @classmethod
    def _group_template(cls, value: str) -> str:
        return _check_template(value, {"names", "union"})

    @field_validator("festivals")
    @classmethod
    def _known_festivals(cls, value: dict[str, FestivalSetting]) -> dict[str, FestivalSetting]:
        unknown = set(value) - KNOWN_KEYS
        if unknown:
            raise ValueError(
                f"unknown festival {sorted(unknown)[0]!r}; known: {', '.join(sorted(KNOWN_KEYS))}"
            )
        return value

    @property
    def send_at(self) -> time_type:
        hour, minute = self.time.split(":")
        return time_type(int(hour), int(minute))

    @property
    def digest_by(self) -> time_type:
        hour, minute = self.digest_until.split(":")
        return time_type(int(hour), int(minute))
