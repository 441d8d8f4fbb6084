"""The [notices] section of the configuration: reminders, and members without a group."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core.day_window import parse_quiet

OFF = ("off", "")


class NoticesConfig(BaseModel):
    """Reminders to members who have not pressed 「收到」, and how a notice to the groups
    reaches a department that has no bound group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    remind_after_minutes: Annotated[int, Field(ge=5, le=7 * 24 * 60)] = 120
    remind_times: Annotated[int, Field(ge=0, le=10)] = 1
    # A notice to the groups is written privately to members of a department without a bound
    # group; when false, the preview names whom it will miss and asks before sending.
    private_when_no_group: bool = True
    # Reminders to a member who set no quiet hours of their own wait until this window ends
    # (a reminder is never urgent); "off" sends them at any hour.
    reminder_night: str = "22:00-07:00"

    @field_validator("reminder_night")
    @classmethod
    def _a_window(cls, value: str) -> str:
        if value.strip().lower() not in OFF and parse_quiet(value) is None:
            raise ValueError('write a window of the clock such as "22:00-07:00", or "off"')
        return value

    @property
    def night(self) -> tuple[int, int] | None:
        """reminder_night in minutes after midnight; None when off."""
        if self.reminder_night.strip().lower() in OFF:
            return None
        return parse_quiet(self.reminder_night)
