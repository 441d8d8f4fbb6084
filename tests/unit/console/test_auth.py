"""The console accepts initData only as Telegram signs it, for this bot, recently."""

import json
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.console.auth import (
    AuthError,
    session_cookie,
    sign_init_data,
    verify_init_data,
    verify_session,
)

TOKEN = "7000000001:TEST-token"
NOW = 1_800_000_000.0


def _data(user_id: int = 42, signed_at: float = NOW, token: str = TOKEN) -> str:
    user = json.dumps({"id": user_id, "first_name": "陈干事", "language_code": "zh-hans"})
    return sign_init_data({"auth_date": str(int(signed_at)), "user": user, "query_id": "q"}, token)


def test_genuine_init_data_names_its_user() -> None:
    user = verify_init_data(_data(), TOKEN, max_age=3600, now=NOW + 10)
    assert user.telegram_id == 42 and user.first_name == "陈干事"


def _tampered(field: str, value: str) -> str:
    fields = dict(parse_qsl(_data()))
    fields[field] = value
    return urlencode(fields)


@pytest.mark.parametrize(
    "init_data",
    [
        _tampered("hash", "0" * 64),
        _tampered("user", json.dumps({"id": 43, "first_name": "冒充"})),
        _tampered("auth_date", str(int(NOW) + 1)),
        _data(token="7000000002:another-bot"),
        _data(signed_at=NOW - 3601),
        "",
        "hash=abc",
        "user=%7B%7D&auth_date=1",
    ],
    ids=["tampered hash", "changed user", "changed date", "other bot", "expired", "empty",
         "hash only", "unsigned"],
)  # fmt: skip
def test_anything_else_is_refused(init_data: str) -> None:
    with pytest.raises(AuthError):
        verify_init_data(init_data, TOKEN, max_age=3600, now=NOW)


def test_sessions_are_signed_and_expire() -> None:
    cookie = session_cookie(42, TOKEN, now=NOW)
    assert verify_session(cookie, TOKEN, now=NOW + 60) == 42
    with pytest.raises(AuthError):
        verify_session(cookie, TOKEN, now=NOW + 9 * 3600)
    with pytest.raises(AuthError):
        verify_session(cookie.replace("42.", "43.", 1), TOKEN, now=NOW)
    with pytest.raises(AuthError):
        verify_session(cookie, "7000000002:another-bot", now=NOW)
    with pytest.raises(AuthError):
        verify_session("garbage", TOKEN, now=NOW)
