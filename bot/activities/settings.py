"""The [activities] section of the configuration: offers from the waiting list, reminders,
and when 签到 (check-in) opens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ActivitiesConfig(BaseModel):
    """Sign-up: how long a freed place is held for the next in the queue, reminders, and how
    long before the start members may check in (until the end)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offer_hours: Annotated[int, Field(ge=1, le=168)] = 12
    remind_before_hours: list[Annotated[int, Field(ge=1, le=336)]] = Field(
        default_factory=lambda: [24, 1]
    )
    check_in_minutes: Annotated[int, Field(ge=0, le=1440)] = 60

    @property
    def check_in_before(self) -> timedelta:
        return timedelta(minutes=self.check_in_minutes)
