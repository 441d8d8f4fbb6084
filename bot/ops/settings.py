"""The [ops] section of the configuration."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class OpsConfig(BaseModel):
    """Health and metrics over HTTP, for a supervisor and for Prometheus."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 9464
    # /readyz says "not ready" when the oldest message due has waited longer than this.
    max_outbox_lag_seconds: Annotated[int, Field(ge=10, le=86_400)] = 300
