"""The emulated Telegram: users, chats, messages, the update queue, and the failure modes.

`Emulator` is both what the HTTP methods act on (the bot's side) and what tests and the
sandbox drive (the users' side: send, press, add the bot to a group, migrate, block).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import defaultdict, deque
from typing import Any

import aiohttp

from bot.emulator.chaos import Chaos
from bot.emulator.html_check import EntityError, parse_html, utf16_length
from bot.emulator.model import (
    BOT_ID,
    MAX_CALLBACK_DATA,
    MAX_TEXT,
    ApiError,
    ChatState,
    Fault,
    Limits,
    SentMessage,
)
from bot.emulator.users import UserSide


class Emulator(UserSide):
    """Telegram, as seen by one bot and any number of users."""

    def __init__(
        self, *, token: str = "7000000001:TEST-token", bot_username: str = "unionbridge_bot"
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": BOT_ID, "is_bot": True, "first_name": "Union Bridge", "username": bot_username,
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }  # fmt: skip
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, ChatState] = {}
        self.sent: list[SentMessage] = []
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.updates: deque[dict[str, Any]] = deque()
        self.acked_update_id = 0
        self.blocked: set[int] = set()
        self.deactivated: set[int] = set()
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}  # None: every chat's default
        # Telegram's test environment lets Web Apps be served over HTTP (the sandbox's are);
        # the production one takes HTTPS only.
        self.https_web_apps_only = False
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        self.limits = Limits()
        self.calls: defaultdict[str, int] = defaultdict(int)
        self.pushed: defaultdict[str, int] = defaultdict(int)  # updates pushed, by type
        self.retry_after_sent = 0
        self.webhook: dict[str, Any] | None = None
        self.closing = False
        self.files: dict[str, tuple[str, bytes]] = {}
        self.latency = 0.0  # seconds each send takes, like a real round trip to Telegram
        self.chaos: Chaos | None = None  # random faults (bot/emulator/chaos.py): off by default
        self._webhook_task: asyncio.Task[None] | None = None
        self.get_updates_seen = asyncio.Event()
        self._changed = asyncio.Event()
        self._new_updates = asyncio.Event()
        self._by_chat: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self._update_ids = itertools.count(1)
        self._message_ids: defaultdict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._query_ids = itertools.count(1)
        self._group_ids = itertools.count(1)
        self._sends: defaultdict[int, deque[float]] = defaultdict(deque)
        self._tokens = float("inf")
        self._refilled = time.monotonic()

    def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **payload}
        for kind in payload:
            self.pushed[kind] += 1
        self.updates.append(update)
        self._notify(updates=True)
        return update

    def _notify(self, *, updates: bool = False) -> None:
        """Wake waiters: everyone waiting for any change, and pollers when updates arrived.
        Each wait holds the event current when it began; a change sets it and starts anew."""
        self._changed.set()
        self._changed = asyncio.Event()
        if updates:
            self._new_updates.set()
            self._new_updates = asyncio.Event()

    async def wait_changed(self, seconds: float) -> None:
        """Return at the next change the bot or a user makes, or after `seconds`."""
        await _wait(self._changed, seconds)

    async def wait_updates(self, seconds: float) -> None:
        """Return when new updates are queued for the bot, or after `seconds`."""
        await _wait(self._new_updates, seconds)

    # ---- webhook delivery ----------------------------------------------------------

    def set_webhook(self, url: str, secret_token: str | None) -> None:
        """Deliver updates by POSTing them to url, as Telegram does once a webhook is set."""
        self.webhook = {"url": url, "secret_token": secret_token}
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver())

    def delete_webhook(self) -> None:
        self.webhook = None
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None

    async def _deliver(self) -> None:
        async with aiohttp.ClientSession() as session:
            while self.webhook is not None and not self.closing:
                if not self.updates:
                    await self.wait_updates(0.5)
                    continue
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
                try:
                    async with session.post(
                        self.webhook["url"], json=self.updates[0], headers=headers
                    ) as reply:
                        delivered = reply.status == 200
                except aiohttp.ClientError:
                    delivered = False
                if delivered:
                    self.acked_update_id = self.updates.popleft()["update_id"]
                    self._notify()
                else:
                    await asyncio.sleep(0.1)  # Telegram retries a failed delivery later

    # ---- reading what the bot did ----------------------------------------------------

    def chat_messages(self, chat_id: int) -> list[SentMessage]:
        return list(self._by_chat[chat_id])

    def chat_size(self, chat_id: int) -> int:
        """How many messages the bot has in the chat (cheap: for waiting loops)."""
        return len(self._by_chat[chat_id])

    def last(self, chat_id: int) -> SentMessage:
        found = self.chat_messages(chat_id)
        if not found:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return found[-1]

    def pending_update_ids(self) -> list[int]:
        return [u["update_id"] for u in self.updates]

    @property
    def last_update_id(self) -> int:
        return max([self.acked_update_id, *self.pending_update_ids()])

    # ---- the bot's side (used by the HTTP methods) -----------------------------------

    def _as_message(self, sent: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": sent.message_id, "date": sent.date, "from": self.bot_user,
            "chat": self.chats[sent.chat_id].as_dict(),
        }  # fmt: skip
        if sent.kind == "text":
            data["text"] = sent.text
        elif sent.kind == "document":
            data["document"] = {
                "file_id": f"doc-{sent.chat_id}-{sent.message_id}",
                "file_unique_id": f"u{sent.message_id}", "file_name": sent.file_name or "file",
            }  # fmt: skip
            data["caption"] = sent.text
        elif sent.kind == "photo":
            data["photo"] = [{
                "file_id": f"photo-{sent.chat_id}-{sent.message_id}",
                "file_unique_id": f"p{sent.message_id}", "width": 800, "height": 600,
            }]  # fmt: skip
            data["caption"] = sent.text
        if sent.edits:
            data["edit_date"] = int(time.time())
        if sent.reply_markup:
            data["reply_markup"] = sent.reply_markup
        return data

    def take_updates(self, offset: int, limit: int) -> list[dict[str, Any]]:
        if offset:
            while self.updates and self.updates[0]["update_id"] < offset:
                self.acked_update_id = self.updates.popleft()["update_id"]
            self._notify()
        return list(itertools.islice(self.updates, limit))

    def consume_fault(self, method: str, chat_id: int | None) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and (fault.chat_id is None or fault.chat_id == chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def check_rate(self, chat_id: int) -> None:
        """429 with retry_after when the bot exceeds a configured flood limit. The overall
        limit is a token bucket holding one second's worth (a sustained rate, small bursts
        forgiven); per-chat limits are sliding windows."""
        now = time.monotonic()
        limits = self.limits
        if limits.overall_per_second:
            rate = limits.overall_per_second
            self._tokens = min(rate, self._tokens + (now - self._refilled) * rate)
            self._refilled = now
            if self._tokens < 1:
                retry = max(1, int((1 - self._tokens) / rate + 0.999))
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
        checks: list[tuple[deque[float], float, float]] = []
        is_group = chat_id < 0
        if is_group and limits.group_per_minute:
            checks.append((self._sends[chat_id], 60.0, limits.group_per_minute))
        elif not is_group and limits.per_chat_per_second:
            checks.append((self._sends[chat_id], 1.0, limits.per_chat_per_second))
        for window, period, rate in checks:
            while window and window[0] <= now - period:
                window.popleft()
            if len(window) >= rate:
                retry = max(1, int(window[0] + period - now + 0.999))
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
        if limits.overall_per_second:
            self._tokens -= 1
        self._sends[chat_id].append(now)

    def resolve_chat(self, chat_id: int) -> ChatState:
        """The chat a send goes to, or the error Telegram gives for it."""
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id in self.users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            if chat_id in self.deactivated:
                raise ApiError(403, "Forbidden: user is deactivated")
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.bot_status == "kicked":
            kind = "supergroup" if chat.type == "supergroup" else "group"
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        elif chat.bot_status == "left":
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def render(self, text: str, parse_mode: str | None) -> str:
        """The visible text of a message, or the error Telegram gives for its markup."""
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                plain = parse_html(text)
            except EntityError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        else:
            plain = text
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return plain

    @staticmethod
    def check_markup(markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def record(self, chat_id: int, *, text: str, html: str, markup: dict[str, Any] | None,
               kind: str = "text", file_name: str | None = None,
               file_bytes: bytes | None = None) -> SentMessage:  # fmt: skip
        sent = SentMessage(
            chat_id=chat_id, message_id=next(self._message_ids[chat_id]), text=text, html=html,
            reply_markup=markup, date=int(time.time()), kind=kind, file_name=file_name,
            file_bytes=file_bytes,
        )  # fmt: skip
        self.sent.append(sent)
        self._by_chat[chat_id].append(sent)
        self.messages[(chat_id, sent.message_id)] = sent
        self._notify()
        return sent

    def close(self) -> None:
        """The server is going away: pending long polls return at once."""
        self.closing = True
        self._notify(updates=True)

    def forget_message(self, sent: SentMessage) -> None:
        """The bot deleted a message."""
        self.sent.remove(sent)
        self._by_chat[sent.chat_id].remove(sent)
        del self.messages[(sent.chat_id, sent.message_id)]
        self._notify()

    def touch(self) -> None:
        """Wake anyone waiting for the bot to change something (an edit, an answer)."""
        self._notify()

    def message_dict(self, sent: SentMessage) -> dict[str, Any]:
        return self._as_message(sent)

    def check_length(self, plain: str, *, caption: bool = False) -> None:
        limit = 1024 if caption else MAX_TEXT
        if utf16_length(plain) > limit:
            what = "caption" if caption else "message"
            raise ApiError(400, f"Bad Request: {what} is too long")


async def _wait(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
