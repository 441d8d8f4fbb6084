"""Who is calling the console: Telegram's Mini App initData, checked exactly as Telegram
specifies (HMAC-SHA256 with a key derived from the bot token), or a session a one-time
login link started. Either way the caller is a Telegram user id; the role comes later, from
the same rules as the chat."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

WEB_APP_KEY = b"WebAppData"
SESSION_SECONDS = 8 * 3600


class AuthError(Exception):
    """Why a request is not accepted as anyone (401)."""


@dataclass(frozen=True)
class ConsoleUser:
    telegram_id: int
    first_name: str = ""
    language_code: str | None = None


def _secret(token: str) -> bytes:
    return hmac.new(WEB_APP_KEY, token.encode(), hashlib.sha256).digest()


def sign_init_data(fields: dict[str, str], token: str) -> str:
    """initData as Telegram would send it (the sandbox's stand-in and the tests use this)."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    digest = hmac.new(_secret(token), check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def verify_init_data(
    init_data: str, token: str, *, max_age: int, now: float | None = None
) -> ConsoleUser:
    """The user initData names, if Telegram signed it for this bot recently enough."""
    fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=False))
    given = fields.pop("hash", "")
    if not given:
        raise AuthError("no signature")
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    expected = hmac.new(_secret(token), check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise AuthError("the signature does not match")
    try:
        signed_at = int(fields["auth_date"])
        user = json.loads(fields["user"])
        telegram_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as exc:
        raise AuthError("incomplete data") from exc
    if (now if now is not None else time.time()) - signed_at > max_age:
        raise AuthError("expired")
    return ConsoleUser(telegram_id, str(user.get("first_name", "")), user.get("language_code"))


def new_login_token() -> str:
    """A one-time login link's secret (only its hash is stored)."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_cookie(telegram_id: int, token: str, *, now: float | None = None) -> str:
    """A browser session for a desktop login: the user and an expiry, signed."""
    expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
    body = f"{telegram_id}.{expires}"
    mac = hmac.new(_secret(token), f"session:{body}".encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def verify_session(cookie: str, token: str, *, now: float | None = None) -> int:
    """The Telegram user id a session cookie carries, if it is ours and unexpired."""
    try:
        telegram_id, expires, mac = cookie.split(".")
        body = f"{int(telegram_id)}.{int(expires)}"
    except ValueError as exc:
        raise AuthError("not a session") from exc
    expected = hmac.new(_secret(token), f"session:{body}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        raise AuthError("the session does not match")
    if (now if now is not None else time.time()) > int(expires):
        raise AuthError("the session has expired")
    return int(telegram_id)
