"""One-time login links for a desktop browser: made by /console for its caller, valid for
ten minutes, used once, and stored only as a hash. Telegram-free; never commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.console.auth import AuthError, new_login_token, token_hash
from storage import console_logins

LOGIN_VALID = timedelta(minutes=10)


async def issue(session: AsyncSession, *, telegram_id: int, now: datetime) -> str:
    """A new link's secret for this user (only its hash is kept)."""
    token = new_login_token()
    await console_logins.add(
        session,
        token_hash=token_hash(token),
        telegram_id=telegram_id,
        now=now,
        expires=now + LOGIN_VALID,
    )
    return token


async def redeem(session: AsyncSession, token: str, *, now: datetime) -> int:
    """The user a link was made for, using it up; AuthError if it is unknown, used or late."""
    if not token or len(token) > 100:
        raise AuthError("no such login link")
    telegram_id = await console_logins.redeem(session, token_hash=token_hash(token), now=now)
    if telegram_id is None:
        raise AuthError("the login link is unknown, used or expired")
    return telegram_id
