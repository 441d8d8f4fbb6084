"""The [console] section: where the cadres' web console (a Telegram Mini App) is served."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

TELEGRAM_JS = "https://telegram.org/js/telegram-web-app.js"


class ConsoleConfig(BaseModel):
    """The console is served by the bot process on host:port (or, in webhook mode, on the
    webhook server's address); public_url is the HTTPS address Telegram opens it at."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8470
    public_url: str = ""
    # How old a Mini App's signed launch data may be before it is refused, in seconds.
    max_age: Annotated[int, Field(ge=60, le=7 * 86_400)] = 3600
    # Serve a local stand-in for Telegram's telegram-web-app.js (the sandbox and the tests;
    # never in production, where Telegram's own script is loaded).
    standin_js: bool = False

    @field_validator("public_url")
    @classmethod
    def _address(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(
                "give the console's public address, e.g. https://union.example.org/console/"
            )
        return value if not value or value.endswith("/") else value + "/"

    @property
    def telegram_js(self) -> str:
        return "telegram-web-app.js" if self.standin_js else TELEGRAM_JS
