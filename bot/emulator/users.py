"""The users' side of the emulator: what tests and the sandbox make people do."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from typing import Any

from bot.emulator.html_check import utf16_length
from bot.emulator.model import ChatState, SentMessage


class UserSide:
    """Users sending, pressing, adding the bot to groups, migrating them, blocking the bot.
    Mixed into Emulator, which owns the state declared here and queues the updates."""

    users: dict[int, dict[str, Any]]
    chats: dict[int, ChatState]
    messages: dict[tuple[int, int], SentMessage]
    user_messages: dict[tuple[int, int], dict[str, Any]]
    callback_answers: dict[str, dict[str, Any]]
    blocked: set[int]
    files: dict[str, tuple[str, bytes]]
    bot_user: dict[str, Any]
    _message_ids: defaultdict[int, itertools.count[int]]
    _query_ids: itertools.count[int]
    _group_ids: itertools.count[int]

    def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _as_message(self, sent: SentMessage) -> dict[str, Any]:
        raise NotImplementedError

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        username: str | None = None,
        language_code: str = "zh-hans",
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Create (or return) a Telegram user."""
        if user_id not in self.users:
            data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
            if username:
                data["username"] = username
            if last_name:
                data["last_name"] = last_name
            if language_code:
                data["language_code"] = language_code
            self.users[user_id] = data
        return self.users[user_id]

    def group(
        self, title: str, *, supergroup: bool = False, members: list[int] | None = None
    ) -> int:
        """Create a group chat (the bot is not in it yet); returns its id."""
        number = next(self._group_ids)
        chat_id = -(1_000_000_000_000 + number) if supergroup else -(4_000_000 + number)
        chat = ChatState(chat_id, "supergroup" if supergroup else "group", title=title)
        chat.members.update(members or [])
        self.chats[chat_id] = chat
        return chat_id

    def _private(self, user_id: int) -> ChatState:
        user = self.users[user_id]
        chat = self.chats.get(user_id)
        if chat is None:
            chat = ChatState(
                user_id, "private", username=user.get("username"), first_name=user["first_name"]
            )
            self.chats[user_id] = chat
        return chat

    def _user_message(self, user_id: int, chat_id: int, **content: Any) -> dict[str, Any]:
        chat = self.chats[chat_id] if chat_id != user_id else self._private(user_id)
        if chat.type == "private":
            chat.started = True
            self.blocked.discard(user_id)
        else:
            chat.members.add(user_id)
        message = {
            "message_id": next(self._message_ids[chat_id]), "date": int(time.time()),
            "chat": chat.as_dict(), "from": self.users[user_id], **content,
        }  # fmt: skip
        self.user_messages[(chat_id, message["message_id"])] = message
        return message

    def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, bold: str | None = None
    ) -> dict[str, Any]:
        """A user sends text (a leading /command becomes a bot_command entity; `bold` marks
        the first occurrence of that substring bold, as a client's formatting would)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.split() else text
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command)}
            ]
        elif bold and bold in text:
            offset = utf16_length(text[: text.index(bold)])
            content["entities"] = [{"type": "bold", "offset": offset, "length": utf16_length(bold)}]
        message = self._user_message(
            user_id, chat_id if chat_id is not None else user_id, **content
        )
        return self._push({"message": message})

    def send_sticker(self, user_id: int, *, chat_id: int | None = None) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxkBAAE", "file_unique_id": "AgADsticker", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": "👍",
        }  # fmt: skip
        message = self._user_message(
            user_id, chat_id if chat_id is not None else user_id, sticker=sticker
        )
        return self._push({"message": message})

    def send_file(
        self,
        user_id: int,
        kind: str,
        data: bytes,
        *,
        name: str = "file",
        caption: str = "",
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a photo or a document; it gets a file_id the bot can send on."""
        file_id = f"{kind}-{user_id}-{len(self.files) + 1}"
        self.files[file_id] = (name, data)
        unique = f"u{len(self.files)}"
        content: dict[str, Any] = (
            {
                "photo": [
                    {"file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 960}
                ]
            }
            if kind == "photo"
            else {"document": {"file_id": file_id, "file_unique_id": unique, "file_name": name}}
        )
        if caption:
            content["caption"] = caption
        message = self._user_message(
            user_id, chat_id if chat_id is not None else user_id, **content
        )
        return self._push({"message": message})

    def press(self, user_id: int, message: SentMessage, data: str) -> dict[str, Any]:
        """A user presses an inline button of a bot message (data need not be on it: forged)."""
        current = self.messages[(message.chat_id, message.message_id)]
        query_id = str(next(self._query_ids))
        self.callback_answers[query_id] = {}
        chat = self.chats[current.chat_id]
        if chat.type == "private":
            self._private(user_id)
        query = {
            "id": query_id, "from": self.users[user_id], "chat_instance": str(current.chat_id),
            "data": data, "message": self._as_message(current),
        }  # fmt: skip
        return self._push({"callback_query": query})

    def add_bot_to_group(
        self, chat_id: int, by_user: int, *, status: str = "member"
    ) -> dict[str, Any]:
        chat = self.chats[chat_id]
        old = chat.bot_status
        chat.bot_status = status
        chat.members.add(by_user)
        return self._push({"my_chat_member": self._member_change(chat, by_user, old, status)})

    def remove_bot_from_group(self, chat_id: int, by_user: int) -> dict[str, Any]:
        chat = self.chats[chat_id]
        old = chat.bot_status
        chat.bot_status = "kicked"
        return self._push({"my_chat_member": self._member_change(chat, by_user, old, "kicked")})

    def open_private(self, user_id: int) -> None:
        """The user has started the bot at some point (so the bot may write to them)."""
        self._private(user_id).started = True

    def migrate_group(self, chat_id: int, by_user: int, *, notify: bool = True) -> int:
        """Turn a basic group into a supergroup: the id changes, the old one answers 400.
        With notify=False the bot learns of it only from that 400 (the service message lost)."""
        old = self.chats[chat_id]
        new_id = -(1_000_000_000_000 + next(self._group_ids))
        new = ChatState(
            new_id,
            "supergroup",
            title=old.title,
            members=set(old.members),
            bot_status=old.bot_status,
        )
        self.chats[new_id] = new
        old.migrated_to = new_id
        if notify:
            self._push({"message": self._user_message(by_user, chat_id, migrate_to_chat_id=new_id)})
            self._push(
                {"message": self._user_message(by_user, new_id, migrate_from_chat_id=chat_id)}
            )
        return new_id

    def block_bot(self, user_id: int) -> None:
        self.blocked.add(user_id)

    def bot_membership(self, chat: ChatState, status: str | None = None) -> dict[str, Any]:
        """The bot's ChatMember in a chat, with an administrator's rights when it is one."""
        status = status or chat.bot_status
        data: dict[str, Any] = {"status": status, "user": self.bot_user}
        if status == "kicked":
            data["until_date"] = 0
        if status == "administrator":
            data.update(
                can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                can_delete_messages=True, can_manage_video_chats=False,
                can_restrict_members=False, can_promote_members=False,
                can_change_info=False, can_invite_users=True, can_post_stories=False,
                can_edit_stories=False, can_delete_stories=False,
                can_pin_messages=chat.bot_can_pin,
            )  # fmt: skip
        return data

    def _member_change(self, chat: ChatState, by_user: int, old: str, new: str) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            return self.bot_membership(chat, status)

        return {
            "chat": chat.as_dict(), "from": self.users[by_user], "date": int(time.time()),
            "old_chat_member": member(old), "new_chat_member": member(new),
        }  # fmt: skip
