"""Who is calling the console and what they may do: the caller's identity (Telegram's signed
launch data, or a desktop session), mapped to a member and a role by the same rules as the
chat's guard (bot.members.callers.standing) on every call."""

from __future__ import annotations

from dataclasses import dataclass

from bot.console.auth import AuthError, verify_init_data, verify_session
from bot.deps import Deps
from bot.members import callers
from bot.roles import Role
from bot.strings import Lang
from storage.models import Member

INIT_DATA_SCHEME = "tma "  # Authorization: tma <initData>
SESSION_COOKIE = "ub_console"
CSRF_HEADER = "X-Console-Request"


@dataclass(frozen=True)
class ConsoleCaller:
    telegram_id: int
    member: Member | None
    role: Role
    lang: Lang

    @property
    def name(self) -> str:
        return self.member.name if self.member is not None else ""


def identify(
    *,
    authorization: str,
    cookie: str | None,
    csrf: str | None,
    token: str,
    max_age: int,
    now: float,
) -> tuple[int, str | None]:
    """The Telegram user id behind a request, and the language Telegram reports for them.

    Telegram's launch data comes in the Authorization header; a desktop session in a cookie,
    accepted only with the console's own request header (a page elsewhere cannot add it)."""
    if authorization.startswith(INIT_DATA_SCHEME):
        user = verify_init_data(
            authorization[len(INIT_DATA_SCHEME) :], token, max_age=max_age, now=now
        )
        return user.telegram_id, user.language_code
    if authorization:
        raise AuthError("unknown authorization scheme")
    if cookie:
        if csrf != "1":
            raise AuthError("a session cookie without the console's request header")
        return verify_session(cookie, token, now=now), None
    raise AuthError("nobody")


async def resolve(deps: Deps, telegram_id: int, telegram_lang: str | None) -> ConsoleCaller:
    """The member and the role of this Telegram user, as the chat would see them now."""
    async with deps.db.read() as session:
        member = await callers.member_of(session, telegram_id)
    role, lang = callers.standing(
        member,
        telegram_id=telegram_id,
        telegram_lang=telegram_lang,
        admins=deps.admins,
        default=deps.config.union.default_language,
    )
    return ConsoleCaller(telegram_id, member, role, lang)
