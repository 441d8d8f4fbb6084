"""The bot's message HTML (Telegram's small subset) shown on a web page — the sandbox's chat,
the console's previews: made safe (the formatting tags Telegram knows are kept, everything
else is text), or made plain text."""

from __future__ import annotations

import html
from functools import lru_cache
from html.parser import HTMLParser

KEPT = {
    "b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s",
    "strike": "s", "del": "s", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-spoiler": "mark",
}  # fmt: skip
SAFE_LINKS = ("http://", "https://", "tg://")


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(SAFE_LINKS):
                self.out.append(f'<a href="{html.escape(href)}" target="_blank" rel="noopener">')
                self.open.append("a")
        elif tag in KEPT:
            self.out.append(f"<{KEPT[tag]}>")
            self.open.append(KEPT[tag])

    def handle_endtag(self, tag: str) -> None:
        name = "a" if tag == "a" else KEPT.get(tag)
        if name is not None and name in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == name:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def safe_html(telegram_html: str) -> str:
    cleaner = _Cleaner()
    cleaner.feed(telegram_html)
    cleaner.close()
    return "".join(cleaner.out) + "".join(f"</{tag}>" for tag in reversed(cleaner.open))


class _Plain(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_data(self, data: str) -> None:
        self.out.append(data)


@lru_cache(maxsize=4096)  # the same labels come back on every card of a board
def plain(telegram_html: str) -> str:
    """The text a reader sees, without tags or entities (for a page that sets it as text)."""
    reader = _Plain()
    reader.feed(telegram_html)
    reader.close()
    return "".join(reader.out)
