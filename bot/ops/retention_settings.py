"""The [retention] section of the configuration: how long what members leave behind is kept."""

from __future__ import annotations

from datetime import time as time_type
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class RetentionConfig(BaseModel):
    """Applied by a nightly job (bot/ops/retention.py), once across all instances."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Local time of the nightly run: after the backups (03:30), before anyone is up.
    time: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "04:15"
    # Sent, failed and cancelled messages; pending ones are never purged.
    delivered_outbox_days: Annotated[int, Field(ge=1, le=3650)] = 30
    # Questions asked of the rights knowledge base that no case took up.
    rights_question_days: Annotated[int, Field(ge=1, le=3650)] = 90
    # Finished cases lose their words and reporter; counts, categories and dates stay.
    closed_case_years: Annotated[int, Field(ge=1, le=30)] = 3
    # Which instance ran which minute's jobs: only needed while those minutes are recent.
    job_lease_days: Annotated[int, Field(ge=1, le=365)] = 7

    @property
    def run_at(self) -> time_type:
        hour, minute = self.time.split(":")
        return time_type(int(hour), int(minute))
