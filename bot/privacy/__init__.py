"""Logs that keep secrets: a person appears in a log line only as a pseudonym, a keyed hash
(HMAC-SHA256, 12 hex digits) of their Telegram id with this install's secret. The same person
gets the same pseudonym in every line, so an admin can follow one person's lines after
`unionbridge pseudonym <telegram id>`, but the lines alone name no one.

The key is installed once per process (`install`) by the composition root and the CLI; a
`Pseudonym` is hashed only when its line is actually written."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.privacy.settings import PrivacyConfig

DIGITS = 12
_DERIVATION = b"unionbridge log pseudonyms v1\x00"
# Until a key is installed (a unit test, a tool): random, so nothing links to a real key.
_key = secrets.token_bytes(32)


def key_for(settings: PrivacyConfig, token: str) -> bytes:
    """The install's key: [privacy] log_key, or else one derived from the bot token."""
    secret = settings.log_key or token
    if not secret:
        return secrets.token_bytes(32)
    return hashlib.sha256(_DERIVATION + secret.encode()).digest()


def install(key: bytes) -> None:
    """Every pseudonym this process writes from now on is made with this key."""
    global _key  # noqa: PLW0603 - one key per process, like the logging setup it serves
    _key = key


def pseudonym(telegram_id: int) -> str:
    """The short keyed hash that stands for this Telegram id in logs."""
    digest = hmac.new(_key, str(int(telegram_id)).encode(), hashlib.sha256).hexdigest()
    return digest[:DIGITS]


class Pseudonym:
    """A log argument: `log.info("... %s", Pseudonym(user_id))` hashes only if written."""

    __slots__ = ("telegram_id",)

    def __init__(self, telegram_id: int) -> None:
        self.telegram_id = telegram_id

    def __str__(self) -> str:
        return pseudonym(self.telegram_id)

    __repr__ = __str__


class ChatLabel:
    """A chat in a log line: a private chat's id is its person's Telegram id, so it is shown
    as their pseudonym; a group's id names no one and is kept (an admin can find the group)."""

    __slots__ = ("chat_id",)

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id

    def __str__(self) -> str:
        return pseudonym(self.chat_id) if self.chat_id > 0 else str(self.chat_id)

    __repr__ = __str__
