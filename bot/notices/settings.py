"""The [notices] section of the configuration: reminders, and members without a group."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class NoticesConfig(BaseModel):
    """Reminders to members who have not pressed 「收到」, and how a notice to the groups
    reaches a department that has no bound group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    remind_after_minutes: Annotated[int, Field(ge=5, le=7 * 24 * 60)] = 120
    remind_times: Annotated[int, Field(ge=0, le=10)] = 1
    # A notice to the groups is written privately to members of a department without a bound
    # group; when false, the preview names whom it will miss and asks before sending.
    private_when_no_group: bool = True
