"""The [privacy] section of the configuration: the key log pseudonyms are made with."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class PrivacyConfig(BaseModel):
    """Logs name people by a keyed hash of their Telegram id, never by the id itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A per-install secret (e.g. `openssl rand -hex 32`). Empty: derived from the bot token,
    # so a new token also starts new pseudonyms. Anyone with the key can test a guessed id.
    log_key: Annotated[str, Field(max_length=512)] = ""
