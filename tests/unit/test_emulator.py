"""The emulator answers PTB's own Bot client the way Telegram does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from bot.emulator import ApiError, EmulatorServer, Fault


@pytest.fixture
async def bot(server: EmulatorServer) -> AsyncIterator[Bot]:
    client = Bot(server.emulator.token, base_url=server.base_url)
    async with client:
        yield client


async def test_send_edit_and_not_modified(server: EmulatorServer, bot: Bot) -> None:
    emu = server.emulator
    emu.user(1, "王")
    emu.send_text(1, "/start")
    sent = await bot.send_message(1, "<b>你好</b> &amp; 欢迎", parse_mode=ParseMode.HTML)
    assert emu.last(1).text == "你好 & 欢迎"
    await bot.edit_message_text("改了", chat_id=1, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("改了", chat_id=1, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=1, message_id=999)


async def test_html_length_and_button_limits(server: EmulatorServer, bot: Bot) -> None:
    emu = server.emulator
    emu.user(1, "王")
    emu.send_text(1, "hi")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, "<b>open", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(1, "a < b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "字" * 4097)
    await bot.send_message(1, "字" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(1, "<b> </b>", parse_mode=ParseMode.HTML)
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1, "buttons", reply_markup=long_data)


async def test_blocked_unknown_migrated_and_kicked_chats(server: EmulatorServer, bot: Bot) -> None:
    emu = server.emulator
    emu.user(1, "王")
    emu.user(2, "李")
    emu.send_text(1, "/start")
    emu.block_bot(1)
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(1, "x")
    with pytest.raises(Forbidden, match=r"(?i)can't initiate conversation"):
        await bot.send_message(2, "x")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-999, "x")
    group = emu.group("一车间群", members=[1])
    emu.add_bot_to_group(group, 1)
    new_id = emu.migrate_group(group, 1)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group, "x")
    assert migrated.value.new_chat_id == new_id
    await bot.send_message(new_id, "x")
    emu.remove_bot_from_group(new_id, 1)
    with pytest.raises(Forbidden, match=r"(?i)kicked"):
        await bot.send_message(new_id, "x")


async def test_flood_limits_and_injected_faults(server: EmulatorServer, bot: Bot) -> None:
    emu = server.emulator
    emu.user(1, "王")
    emu.send_text(1, "hi")
    emu.limits.per_chat_per_second = 1
    await bot.send_message(1, "one")
    with pytest.raises(RetryAfter, match=r"(?i)flood control"):
        await bot.send_message(1, "two")
    assert emu.retry_after_sent == 1
    emu.limits.per_chat_per_second = None
    emu.faults.append(Fault("sendmessage", ApiError(400, "Bad Request: injected"), chat_id=1))
    with pytest.raises(BadRequest, match=r"(?i)injected"):
        await bot.send_message(1, "three")
    await bot.send_message(1, "four")  # the fault was used up


async def test_callback_answers_once(server: EmulatorServer, bot: Bot) -> None:
    emu = server.emulator
    emu.user(1, "王")
    emu.send_text(1, "hi")
    await bot.send_message(
        1,
        "press",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="a:b")]]),
    )
    update = emu.press(1, emu.last(1), "a:b")
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="done")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)


async def test_get_updates_long_polls_and_acknowledges(server: EmulatorServer, bot: Bot) -> None:
    emu = server.emulator
    emu.user(1, "王")
    assert await bot.get_updates(timeout=0) == ()
    emu.send_text(1, "/start")
    [update] = await bot.get_updates(timeout=1)
    assert update.message is not None and update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert emu.acked_update_id == update.update_id
