"""The Bot API methods the emulator answers, each as Telegram would (errors included)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.model import BOT_ID, ApiError, SentMessage
from bot.emulator.state import Emulator

Method = Callable[[Emulator, dict[str, Any]], Awaitable[Any]]
LONG_POLL_CAP = 30.0


def _int(params: dict[str, Any], key: str, default: int | None = None) -> int:
    value = params.get(key, default)
    if value is None:
        raise ApiError(400, f"Bad Request: {key} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {key} specified") from None


def _bool(params: dict[str, Any], key: str) -> bool:
    return str(params.get(key, "false")).lower() in ("true", "1")


def _message(emu: Emulator, params: dict[str, Any]) -> SentMessage:
    key = (_int(params, "chat_id"), _int(params, "message_id"))
    if key not in emu.messages:
        raise ApiError(400, "Bad Request: message to edit not found")
    return emu.messages[key]


def _check_web_apps(emu: Emulator, chat_id: int, markup: Any) -> None:
    """Web App buttons: only in a private chat, only to an HTTPS page (Telegram's test
    environment, which the emulator stands for unless told otherwise, allows HTTP too)."""
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if "web_app" not in button:
                continue
            chat = emu.chats.get(chat_id)
            if chat is None or chat.type != "private":
                raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
            url = str((button.get("web_app") or {}).get("url", ""))
            _check_web_app_url(emu, url, "inline keyboard button")


def _check_web_app_url(emu: Emulator, url: str, what: str) -> None:
    allowed = ("https://",) if emu.https_web_apps_only else ("https://", "http://")
    if not url.startswith(allowed):
        raise ApiError(
            400, f"Bad Request: {what} Web App URL '{url}' is invalid: Only HTTPS links are allowed"
        )


async def get_me(emu: Emulator, params: dict[str, Any]) -> Any:
    return emu.bot_user


async def get_updates(emu: Emulator, params: dict[str, Any]) -> Any:
    if emu.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    emu.get_updates_seen.set()
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", 100)
    timeout = min(float(params.get("timeout", 0) or 0), LONG_POLL_CAP)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = emu.take_updates(offset, limit)
        remaining = deadline - loop.time()
        if found or remaining <= 0 or emu.closing:
            return found
        await emu.wait_updates(remaining)


async def send_message(emu: Emulator, params: dict[str, Any]) -> Any:
    chat_id = _int(params, "chat_id")
    html = str(params.get("text", ""))
    markup = params.get("reply_markup")
    emu.resolve_chat(chat_id)
    plain = emu.render(html, params.get("parse_mode"))
    emu.check_length(plain)
    emu.check_markup(markup)
    _check_web_apps(emu, chat_id, markup)
    emu.check_rate(chat_id)
    return emu.message_dict(emu.record(chat_id, text=plain, html=html, markup=markup))


async def _send_file(emu: Emulator, params: dict[str, Any], field: str) -> Any:
    chat_id = _int(params, "chat_id")
    emu.resolve_chat(chat_id)
    upload = params.get(field)
    if isinstance(upload, str):  # a file_id Telegram already has
        if upload not in emu.files:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        upload = emu.files[upload]
    if not isinstance(upload, tuple):
        raise ApiError(400, f"Bad Request: there is no {field} in the request")
    name, data = upload
    html = str(params.get("caption", ""))
    plain = emu.render(html, params.get("parse_mode")) if html else ""
    emu.check_length(plain, caption=True)
    markup = params.get("reply_markup")
    emu.check_markup(markup)
    _check_web_apps(emu, chat_id, markup)
    emu.check_rate(chat_id)
    sent = emu.record(
        chat_id, text=plain, html=html, markup=markup, kind=field, file_name=name, file_bytes=data
    )
    return emu.message_dict(sent)


async def send_photo(emu: Emulator, params: dict[str, Any]) -> Any:
    return await _send_file(emu, params, "photo")


async def send_document(emu: Emulator, params: dict[str, Any]) -> Any:
    return await _send_file(emu, params, "document")


async def edit_message_text(emu: Emulator, params: dict[str, Any]) -> Any:
    sent = _message(emu, params)
    if sent.kind != "text":
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    html = str(params.get("text", ""))
    markup = params.get("reply_markup")
    plain = emu.render(html, params.get("parse_mode"))
    emu.check_length(plain)
    emu.check_markup(markup)
    if plain == sent.text and markup == sent.reply_markup:
        raise ApiError(
            400,
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message",
        )
    sent.text, sent.html, sent.reply_markup = plain, html, markup
    sent.edits += 1
    emu.touch()
    return emu.message_dict(sent)


async def edit_message_caption(emu: Emulator, params: dict[str, Any]) -> Any:
    sent = _message(emu, params)
    if sent.kind == "text":
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    html = str(params.get("caption", ""))
    plain = emu.render(html, params.get("parse_mode")) if html else ""
    emu.check_length(plain, caption=True)
    markup = params.get("reply_markup")
    emu.check_markup(markup)
    if plain == sent.text and markup == sent.reply_markup:
        raise ApiError(400, "Bad Request: message is not modified")
    sent.text, sent.html, sent.reply_markup = plain, html, markup
    sent.edits += 1
    emu.touch()
    return emu.message_dict(sent)


async def edit_message_reply_markup(emu: Emulator, params: dict[str, Any]) -> Any:
    sent = _message(emu, params)
    markup = params.get("reply_markup")
    emu.check_markup(markup)
    if markup == sent.reply_markup:
        raise ApiError(400, "Bad Request: message is not modified")
    sent.reply_markup = markup
    sent.edits += 1
    emu.touch()
    return emu.message_dict(sent)


async def delete_message(emu: Emulator, params: dict[str, Any]) -> Any:
    emu.forget_message(_message(emu, params))
    return True


async def answer_callback_query(emu: Emulator, params: dict[str, Any]) -> Any:
    query_id = str(params.get("callback_query_id", ""))
    if query_id not in emu.callback_answers or emu.callback_answers[query_id]:
        raise ApiError(
            400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
    emu.callback_answers[query_id] = {
        "text": params.get("text"), "show_alert": _bool(params, "show_alert"), "answered": True,
    }  # fmt: skip
    emu.touch()
    return True


async def pin_chat_message(emu: Emulator, params: dict[str, Any]) -> Any:
    sent = _message(emu, params)
    emu.resolve_chat(sent.chat_id)
    sent.pinned = True
    emu.touch()
    return True


async def unpin_chat_message(emu: Emulator, params: dict[str, Any]) -> Any:
    sent = _message(emu, params)
    sent.pinned = False
    emu.touch()
    return True


async def get_chat(emu: Emulator, params: dict[str, Any]) -> Any:
    chat_id = _int(params, "chat_id")
    if chat_id not in emu.chats:
        raise ApiError(400, "Bad Request: chat not found")
    return {**emu.chats[chat_id].as_dict(), "accent_color_id": 0, "max_reaction_count": 11}


async def get_chat_member(emu: Emulator, params: dict[str, Any]) -> Any:
    chat_id, user_id = _int(params, "chat_id"), _int(params, "user_id")
    chat = emu.chats.get(chat_id)
    if chat is None:
        raise ApiError(400, "Bad Request: chat not found")
    if user_id == BOT_ID and chat.type != "private":
        # The bot asking about itself: what it may do there (a kicked bot may not ask).
        emu.resolve_chat(chat_id)
        return emu.bot_membership(chat)
    if user_id not in emu.users:
        raise ApiError(400, "Bad Request: user not found")
    status = "member" if user_id in chat.members or chat.type == "private" else "left"
    return {"status": status, "user": emu.users[user_id]}


async def leave_chat(emu: Emulator, params: dict[str, Any]) -> Any:
    chat = emu.chats.get(_int(params, "chat_id"))
    if chat is None:
        raise ApiError(400, "Bad Request: chat not found")
    chat.bot_status = "left"
    return True


def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


async def set_my_commands(emu: Emulator, params: dict[str, Any]) -> Any:
    commands = params.get("commands") or []
    if len(commands) > 100:
        raise ApiError(400, "Bad Request: too many commands")
    for command in commands:
        name = command.get("command", "")
        if not ((1 <= len(name) <= 32 and name.islower()) or name.replace("_", "").isalnum()):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    scope = params.get("scope") or {}
    if scope.get("type") == "chat":
        emu.resolve_chat(int(scope["chat_id"]))
    emu.commands[_scope_key(params)] = commands
    return True


async def get_my_commands(emu: Emulator, params: dict[str, Any]) -> Any:
    return emu.commands.get(_scope_key(params), [])


async def delete_my_commands(emu: Emulator, params: dict[str, Any]) -> Any:
    emu.commands.pop(_scope_key(params), None)
    return True


async def delete_webhook(emu: Emulator, params: dict[str, Any]) -> Any:
    emu.delete_webhook()
    if _bool(params, "drop_pending_updates"):
        emu.updates.clear()
    return True


async def set_webhook(emu: Emulator, params: dict[str, Any]) -> Any:
    url = str(params.get("url", ""))
    if not url:
        emu.delete_webhook()
        return True
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ApiError(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
    emu.set_webhook(url, params.get("secret_token"))
    return True


async def get_webhook_info(emu: Emulator, params: dict[str, Any]) -> Any:
    url = emu.webhook["url"] if emu.webhook else ""
    return {"url": url, "has_custom_certificate": False, "pending_update_count": len(emu.updates)}


async def log_out(emu: Emulator, params: dict[str, Any]) -> Any:
    return True


def _menu_button(params: dict[str, Any]) -> dict[str, Any]:
    button = params.get("menu_button", {"type": "default"})
    if not isinstance(button, dict):
        raise ApiError(400, "Bad Request: can't parse menu button: MenuButton must be an Object")
    kind = button.get("type")
    if kind not in ("commands", "web_app", "default"):
        raise ApiError(400, "Bad Request: can't parse menu button: unsupported menu button type")
    if kind == "web_app" and not (button.get("text") and isinstance(button.get("web_app"), dict)):
        raise ApiError(400, "Bad Request: can't parse menu button: text and web_app are required")
    return button


async def set_chat_menu_button(emu: Emulator, params: dict[str, Any]) -> Any:
    """The menu button of one private chat, or (no chat_id) every chat's default."""
    button = _menu_button(params)
    if button["type"] == "web_app":
        _check_web_app_url(emu, str(button["web_app"].get("url", "")), "menu button")
    chat_id = params.get("chat_id")
    if chat_id is None:
        emu.menu_buttons[None] = button
        return True
    chat = emu.chats.get(_int(params, "chat_id"))
    if chat is None:
        raise ApiError(400, "Bad Request: chat not found")
    if chat.type != "private":
        raise ApiError(400, "Bad Request: invalid chat_id specified")
    emu.menu_buttons[chat.id] = button
    return True


async def get_chat_menu_button(emu: Emulator, params: dict[str, Any]) -> Any:
    chat_id = _int(params, "chat_id") if params.get("chat_id") is not None else None
    button = emu.menu_buttons.get(chat_id) or emu.menu_buttons.get(None)
    if button is None or button["type"] == "default":
        return {"type": "commands"}
    return button


METHODS: dict[str, Method] = {
    "getme": get_me,
    "getupdates": get_updates,
    "sendmessage": send_message,
    "sendphoto": send_photo,
    "senddocument": send_document,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "answercallbackquery": answer_callback_query,
    "pinchatmessage": pin_chat_message,
    "unpinchatmessage": unpin_chat_message,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "leavechat": leave_chat,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "deletewebhook": delete_webhook,
    "setwebhook": set_webhook,
    "getwebhookinfo": get_webhook_info,
    "logout": log_out,
    "close": log_out,
}
CHAT_METHODS = frozenset(
    {"sendmessage", "sendphoto", "senddocument", "editmessagetext", "editmessagecaption",
     "pinchatmessage"}
)  # fmt: skip
