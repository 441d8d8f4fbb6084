"""What people write that is not a question: greetings, thanks, 「在吗」, and giving up in
the middle of a form (「算了不想说了」). Telegram-free and pure.

Only a whole message counts: 「你好，加班费怎么算」 is a rights question, and details typed into
a report that happen to contain 「算了」 stay details.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from bot.core.callbacks import CallbackData


class Chat(StrEnum):
    HELLO = "hello"
    THANKS = "thanks"
    THERE = "there"
    MORNING = "morning"
    NIGHT = "night"
    BYE = "bye"


class QuitPress(CallbackData, prefix="quit"):
    """「放弃」 or 「继续」 under the offer to leave a form; names the flow it was offered in."""

    flow: str
    confirm: bool


# Particles and filler that do not change what a short message means.
_FILLER = (
    r"(?:啊|呀|呢|哈|啦|嘛|吧|哦|喔|噢|呐|了|哟|的|亲|们|你|您|大家|机器人"
    r"|bot|there|all|everyone|so|very|much|a lot|guys|\s)*"
)
_PHRASES: dict[Chat, str] = {
    Chat.HELLO: r"你好|您好|你们好|哈喽|哈啰|嗨|嘿|hello|hi|hey|hallo|hiya|yo|哈罗|喂",
    Chat.THANKS: r"谢谢|多谢|感谢|谢啦|谢了|辛苦|thanks?|thank you|thx|ty|cheers|谢谢你|3q",
    Chat.THERE: r"在吗|在么|在嘛|有人吗|有人在吗|在不在|anyone|are you there|you there",
    Chat.MORNING: r"早|早上好|早安|上午好|中午好|下午好|good morning|morning|good afternoon",
    Chat.NIGHT: r"晚上好|晚安|good evening|good night|evening|night",
    Chat.BYE: r"再见|拜拜|拜|回头见|好的|好|嗯|嗯嗯|收到|知道了|明白|明白了"
    r"|bye|goodbye|bye bye|see you|ok|okay|got it",
}
_CHATS = {
    kind: re.compile(rf"^{_FILLER}(?:(?:{words}){_FILLER})+$", re.IGNORECASE)
    for kind, words in _PHRASES.items()
}
_QUIT_WORDS = (
    r"算了|不想说了|不想说|不说了|不弄了|不想弄了|不搞了|不填了|不想填了|不写了|不想写了|不报了"
    r"|不反映了|不问了|不要了|不用了|不做了|取消|放弃|退出|不干了|不想|"
    r"cancel|quit|stop|exit|never ?mind|forget it|no thanks|leave it|i give up"
)
_QUIT = re.compile(rf"^{_FILLER}(?:(?:{_QUIT_WORDS}){_FILLER}[，,。.…~～、]*{_FILLER})+$", re.I)


def _plain(text: str) -> str:
    """Lower-case, full-width folded, with punctuation and emoji dropped."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return "".join(
        ch for ch in folded if not unicodedata.category(ch).startswith(("P", "S"))
    ).strip()


def small_talk(text: str) -> Chat | None:
    """The kind of small talk a whole message is, or None if it says anything more."""
    plain = _plain(text)
    if not plain or len(plain) > 24:
        return None
    for kind, pattern in _CHATS.items():
        if pattern.match(plain):
            return kind
    return None


def quitting(text: str) -> bool:
    """Whether a whole message gives up on what is going on (「算了不想说了」, 「不弄了」)."""
    plain = _plain(text)
    return bool(plain) and len(plain) <= 24 and _QUIT.match(plain) is not None
