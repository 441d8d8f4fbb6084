"""The emulator answers as Telegram does for Mini Apps: Web App buttons only in private chats
and (outside the test environment) only over HTTPS; the chat menu button set and read."""

from typing import Any

import pytest

from bot.emulator import Emulator
from bot.emulator.methods import METHODS
from bot.emulator.model import ApiError

APP = {"inline_keyboard": [[{"text": "打开", "web_app": {"url": "https://x.example/console/"}}]]}


async def run(emu: Emulator, method: str, **params: Any) -> Any:
    return await METHODS[method.lower()](emu, params)


async def test_web_app_buttons_only_in_private_chats() -> None:
    emu = Emulator()
    emu.user(1, "陈干事")
    emu.open_private(1)
    group = emu.group("一车间工友群", members=[1])
    emu.chats[group].bot_status = "administrator"
    sent = await run(emu, "sendMessage", chat_id=1, text="hi", reply_markup=APP)
    assert sent["reply_markup"] == APP
    with pytest.raises(ApiError, match="BUTTON_TYPE_INVALID"):
        await run(emu, "sendMessage", chat_id=group, text="hi", reply_markup=APP)


async def test_http_web_apps_only_in_the_test_environment() -> None:
    emu = Emulator()
    emu.user(1, "陈干事")
    emu.open_private(1)
    plain = {"inline_keyboard": [[{"text": "打开", "web_app": {"url": "http://127.0.0.1/c/"}}]]}
    await run(emu, "sendMessage", chat_id=1, text="hi", reply_markup=plain)
    emu.https_web_apps_only = True
    with pytest.raises(ApiError, match="Only HTTPS links are allowed"):
        await run(emu, "sendMessage", chat_id=1, text="hi", reply_markup=plain)


async def test_the_chat_menu_button() -> None:
    emu = Emulator()
    emu.user(1, "陈干事")
    emu.open_private(1)
    assert await run(emu, "getChatMenuButton", chat_id=1) == {"type": "commands"}
    button = {"type": "web_app", "text": "工作台", "web_app": {"url": "https://x.example/c/"}}
    assert await run(emu, "setChatMenuButton", chat_id=1, menu_button=button) is True
    assert await run(emu, "getChatMenuButton", chat_id=1) == button
    await run(emu, "setChatMenuButton", chat_id=1, menu_button={"type": "default"})
    assert await run(emu, "getChatMenuButton", chat_id=1) == {"type": "commands"}
    with pytest.raises(ApiError, match="MenuButton must be an Object"):
        await run(emu, "setChatMenuButton", chat_id=1, menu_button="web_app")
    with pytest.raises(ApiError, match="chat not found"):
        await run(emu, "setChatMenuButton", chat_id=2, menu_button=button)
    group = emu.group("一车间工友群", members=[1])
    with pytest.raises(ApiError, match="invalid chat_id"):
        await run(emu, "setChatMenuButton", chat_id=group, menu_button=button)
