"""Telegram's HTML parse mode: which tags it accepts, and the text left after parsing."""

from __future__ import annotations

from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
     "code", "pre", "blockquote", "tg-emoji"}
)  # fmt: skip


class EntityError(ValueError):
    """Telegram's "can't parse entities" error, with its wording."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityError(f'Unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            raise EntityError('Can\'t find "href" attribute of "a" tag')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f'Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(markup: str) -> str:
    """The plain text of an HTML-formatted message, or EntityError as Telegram words it."""
    if _bare_lt(markup):
        raise EntityError("Unsupported start tag")
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    if checker.stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{checker.stack[-1]}"')
    return "".join(checker.text)


def _bare_lt(markup: str) -> bool:
    """A '<' that does not open a tag: Telegram rejects it, browsers would not."""
    for index, char in enumerate(markup):
        if char == "<":
            following = markup[index + 1 : index + 2]
            if not (following.isalpha() or following == "/"):
                return True
    return False


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
