"""Reusable member journeys through the real bot."""

from __future__ import annotations

from bot.strings import Lang, normalise_lang
from tests.e2e.catalogue import label, said, says
from tests.e2e.conftest import ADMIN
from tests.e2e.harness import Harness

LANGUAGE_LABELS: dict[str, Lang] = {"中文": "zh", "English": "en"}


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
    """Register a member by answering every question, pressing each button by its label on
    the keyboard the bot sent; asserts the bot confirms it."""
    h.emu.user(user_id, name, username=username, language_code=language_code)
    asked_in = normalise_lang(language_code)  # the questions come in Telegram's language

    async def press(key: str) -> None:
        await h.press_label(user_id, h.emu.last(user_id), label(key, asked_in))

    await h.send(user_id, "/start")
    await h.send(user_id, name)
    await h.press_label(user_id, h.emu.last(user_id), department)
    if birthday is None:
        await press("btn_skip_birthday")
    else:
        await h.send(user_id, birthday)
        await press("btn_share_yes" if share else "btn_share_no")
        if says(h.emu.last(user_id), "ask_hide_year", asked_in):
            await press("btn_hide_year")
    await h.press_label(user_id, h.emu.last(user_id), language)
    chosen = LANGUAGE_LABELS[language]
    sent, _ = await h.press_label(user_id, h.emu.last(user_id), label("btn_confirm", chosen))
    said(sent, "registered", chosen, name=name)


async def appoint(h: Harness, handle: str, *, by: int = ADMIN) -> None:
    """The chair makes a registered member a cadre. The note telling the member goes out
    before the test goes on, so it is never taken for a reply to the member's next message."""
    await h.send(by, f"/cadre add {handle}")
    await h.drain()
