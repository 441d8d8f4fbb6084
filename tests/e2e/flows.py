"""Reusable member journeys through the real bot."""

from __future__ import annotations

from tests.e2e.harness import Harness


async def register(
    h: Harness,
    user_id: int,
    name: str,
    *,
    department: str = "一车间",
    birthday: str | None = "1995-08-15",
    share: bool = True,
    language: str = "中文",
    username: str | None = None,
    language_code: str = "zh-hans",
) -> None:
    """Register a member by answering every question; asserts the bot confirms it."""
    h.emu.user(user_id, name, username=username, language_code=language_code)
    await h.send(user_id, "/start")
    await h.send(user_id, name)
    await h.press_label(user_id, h.emu.last(user_id), department)
    if birthday is None:
        await h.press(user_id, h.emu.last(user_id), "pf:skip:0")
    else:
        await h.send(user_id, birthday)
        await h.press(user_id, h.emu.last(user_id), f"pf:share:{int(share)}")
        if "pf:year:0" in dict(h.emu.last(user_id).buttons()).values():
            await h.press(user_id, h.emu.last(user_id), "pf:year:1")
    await h.press_label(user_id, h.emu.last(user_id), language)
    sent, _ = await h.press(user_id, h.emu.last(user_id), "pf:ok:1")
    assert any(name in m.text for m in sent), [m.text for m in sent]
